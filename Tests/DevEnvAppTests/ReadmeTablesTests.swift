import Dashboard
@testable import DevEnvApp
import Foundation
import Testing

/// README's command table, option list and key table against the tables devenv runs on
/// (CommandTable, DashboardKeymap), so they cannot drift. The key table is generated:
/// `DEVENV_UPDATE_README=1 swift test --filter ReadmeTablesTests` rewrites it.
@Suite struct ReadmeTablesTests {
    static let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md").path

    static func readme() throws -> String { try String(contentsOfFile: readmePath, encoding: .utf8) }

    /// The first cell of each row of the table under `header`, without its backticks.
    static func firstCells(of header: String, in text: String) -> [String] {
        guard let start = text.range(of: header + "\n") else { return [] }
        var cells: [String] = []
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { break }
            if line.hasPrefix("|---") { continue }
            // `|` inside a cell is written `\|`.
            let cell = line.dropFirst().replacingOccurrences(of: "\\|", with: "\u{1}")
                .split(separator: "|").first.map(String.init) ?? ""
            cells.append(cell.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{1}", with: "|")
                .trimmingCharacters(in: CharacterSet(charactersIn: "`")))
        }
        return cells
    }

    @Test("README's command table has one row per command, spelled as its usage line")
    func commandTable() throws {
        let rows = Self.firstCells(of: "| command | what it does |", in: try Self.readme())
        let expected = CommandTable.visibleCommands.filter { $0.name != "help" }
            .map { String($0.usageLine.dropFirst("devenv ".count)) }
        #expect(rows == expected, "README's command table should read, first cells:\n\(expected.map { "`\($0)`" }.joined(separator: "\n"))")
    }

    @Test("README's option list names every global option as help spells it, and no other")
    func optionList() throws {
        let text = try Self.readme()
        guard let start = text.range(of: "Options (before or after the command): ") else {
            Issue.record("README has no \"Options (before or after the command): \" paragraph")
            return
        }
        let paragraph = String(text[start.upperBound...]).components(separatedBy: "\n\n")[0]
        for option in CommandTable.globalOptions {
            #expect(paragraph.contains("`\(option.synopsis)`"), "README's option list lacks `\(option.synopsis)`")
        }
        let named = paragraph.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            .filter { $0.hasPrefix("-") }
        for name in named {
            #expect(CommandTable.globalOptions.contains { $0.synopsis == name }, "README names an unknown global option `\(name)`")
        }
    }

    @Test("README's key table is the dashboard's keymap")
    func keyTable() throws {
        let text = try Self.readme()
        let begin = "<!-- keys: generated from Sources/Dashboard/DashboardKeymap.swift; Tests/DevEnvAppTests/ReadmeTablesTests checks it -->\n"
        let end = "<!-- end of keys -->"
        guard let from = text.range(of: begin), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else {
            Issue.record("README lacks the key table markers")
            return
        }
        let current = String(text[from.upperBound..<to.lowerBound])
        let wanted = DashboardKeymap.markdownTable
        if current != wanted, ProcessInfo.processInfo.environment["DEVENV_UPDATE_README"] == "1" {
            try (String(text[..<from.upperBound]) + wanted + String(text[to.lowerBound...]))
                .write(toFile: Self.readmePath, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == wanted, "README's key table differs from DashboardKeymap: run DEVENV_UPDATE_README=1 swift test --skip-build --filter ReadmeTablesTests")
    }
}
