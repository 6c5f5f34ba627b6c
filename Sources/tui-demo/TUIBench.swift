#if canImport(Glibc)
import Glibc
#endif
import TerminalUI

/// `tui-demo --bench`: figures for Tests/Scripts/bench.sh (release build), one `name=value`
/// per line with its goal, so the script can print and check them.
enum TUIBench {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Milliseconds per call of `body`, the median of 9 batches (not the fastest batch, which
    /// would flatter on a shared machine).
    static func medianOf(_ calls: Int, _ body: (Int) -> Void) -> Double {
        var times: [Double] = []
        let perBatch = max(1, calls / 9)
        var k = 0
        for _ in 0..<9 {
            let t0 = now()
            for _ in 0..<perBatch { body(k); k += 1 }
            times.append((now() - t0) / Double(perBatch) * 1000)
        }
        return times.sorted()[times.count / 2]
    }

    static func maxRSSKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss)
    }

    static func tableScreen(rows: [[String]], selected: Int, width: Int = 200, height: Int = 60) -> Screen {
        var screen = Screen(width: width, height: height)
        Panel(title: "services", borderStyle: Style(fg: .cyan)).render(in: screen.bounds, on: &screen)
        Table(columns: [TableColumn("NAME", width: .fill(2)), TableColumn("STATE", width: .fixed(10)),
                        TableColumn("CPU", width: .fixed(6), alignment: .right), TableColumn("IMAGE", width: .fill(3))],
              rows: rows.map { $0.map { StyledText($0, style: Style(fg: .green)) } },
              state: TableState(selected: selected)).render(in: Panel.inner(screen.bounds), on: &screen)
        return screen
    }

    /// Every cell different from the previous frame, in colour.
    static func colourfulScreen(seed: Int, width: Int = 200, height: Int = 60) -> Screen {
        var screen = Screen(width: width, height: height)
        let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
        for y in 0..<height {
            var x = 0
            var k = seed + y
            while x < width {
                let style = Style(fg: .indexed(UInt8((k * 7) % 256)), bg: k % 5 == 0 ? .ansi(UInt8(k % 8)) : .default,
                                  attributes: k % 4 == 0 ? .bold : [])
                x += screen.put(words[k % words.count] + " ", x: x, y: y, style: style)
                k += 1
            }
        }
        return screen
    }

    static func run() {
        // 1. One table row changes.
        var rows = (0..<55).map { ["service-\($0)", "running", "\($0 % 100)%", "registry.local/app:\($0)"] }
        var renderer = FrameRenderer(colorMode: .indexed256)
        _ = renderer.render(tableScreen(rows: rows, selected: 3))
        rows[20][1] = "exited"
        rows[20][2] = "0%"
        let oneRow = renderer.render(tableScreen(rows: rows, selected: 3)).count
        print("tui.one_row_change_bytes=\(oneRow) goal<200")

        // 2. Full 200x60 colour redraw: the demo's dashboard-like view (coloured panels, a
        // table with a coloured state column, a full log with coloured levels), and a worst
        // case where every word has its own colour and attributes.
        var demo = DemoProgram()
        _ = demo.update(.start(Size(width: 200, height: 60)))
        for _ in 0..<300 { _ = demo.update(.message(.tick)) }
        var fresh = FrameRenderer(colorMode: .indexed256)
        let full = fresh.render(demo.render(size: Size(width: 200, height: 60))).count
        print("tui.full_redraw_200x60_bytes=\(full) goal<30000 (the toolkit demo's frame)")
        var worst = FrameRenderer(colorMode: .indexed256)
        print("tui.full_redraw_200x60_every_word_coloured_bytes=\(worst.render(colourfulScreen(seed: 1)).count) (information: worst case)")
        var trueColour = FrameRenderer(colorMode: .truecolor)
        var rgb = colourfulScreen(seed: 1)
        rgb.modifyStyle(in: rgb.bounds) { s in if case .indexed(let n) = s.fg { s.fg = .rgb(n, 255 &- n, n / 2) } }
        print("tui.full_redraw_200x60_truecolor_bytes=\(trueColour.render(rgb).count) (information)")

        // 3. Diff-render time for a frame whose content all changed.
        let frames = (0..<8).map { colourfulScreen(seed: $0 * 3 + 1) }
        var timed = FrameRenderer(colorMode: .indexed256)
        _ = timed.render(frames[0])
        let iterations = 400
        var total = 0
        let perFrame = medianOf(iterations) { i in total &+= timed.render(frames[(i % 7) + 1]).count }
        print("tui.render_changed_200x60_ms=\(format3(perFrame)) goal<1 (\(total / max(1, iterations / 9 * 9)) bytes/frame)")
        var dashboard = FrameRenderer(colorMode: .indexed256)
        _ = dashboard.render(demo.render(size: Size(width: 200, height: 60)))
        var dashboardBytes = 0
        let dashboardTime = medianOf(iterations) { _ in
            _ = demo.update(.message(.tick))
            _ = demo.update(.input(.key(.init(.down))))
            dashboardBytes += dashboard.render(demo.render(size: Size(width: 200, height: 60))).count
        }
        // The toolkit's demo program, not devenv's dashboard (the dashboard is timed end to end
        // under a pseudo-terminal by bench.sh).
        print("tui.toolkit_demo_update_view_and_render_200x60_ms=\(format3(dashboardTime)) goal<2 (\(dashboardBytes / max(1, iterations / 9 * 9)) bytes/frame)")
        let buildTime = medianOf(iterations) { i in _ = colourfulScreen(seed: i) }
        print("tui.build_screen_200x60_ms=\(format3(buildTime)) (information: drawing text into a Screen)")

        // 4. Log ingest.
        var chunk: [UInt8] = []
        for k in 0..<1000 {
            chunk.append(contentsOf: Array("2026-11-27T12:00:00Z \u{1B}[32mINFO\u{1B}[0m request \(k) handled in 12 ms path=/api/v1/items\n".utf8))
        }
        var log = LogBuffer(capacity: 10_000)
        for _ in 0..<100 { log.append(bytes: chunk) } // warm up and fill
        let rssBefore = maxRSSKilobytes()
        let lines = 1_000_000
        let t2 = now()
        for _ in 0..<(lines / 1000) { log.append(bytes: chunk) }
        let rate = Double(lines) / (now() - t2)
        for _ in 0..<(lines / 1000) { log.append(bytes: chunk) }
        let rssAfter = maxRSSKilobytes()
        print("tui.log_ingest_lines_per_s=\(Int(rate)) goal>=100000")
        print("tui.log_memory_growth_kb=\(rssAfter - rssBefore) after 2M more lines, \(log.count) lines held (bounded: capacity \(log.capacity))")

        var screen = Screen(width: 200, height: 60)
        let logTime = medianOf(200) { _ in
            LogView(buffer: log, state: LogViewState(wrap: true, search: "request")).render(in: screen.bounds, on: &screen)
        }
        print("tui.logview_render_200x60_ms=\(format3(logTime)) (information: wrap + search highlight)")
    }

    static func format3(_ v: Double) -> String {
        let scaled = Int((v * 1000).rounded())
        let frac = String(scaled % 1000)
        return "\(scaled / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}

