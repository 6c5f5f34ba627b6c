import DevEnvCore
import DevEnvSystem
import Foundation
import Testing
import TestSupport

/// Files that are not what they claim (a FIFO, a device, a folder, a huge file) and mutated
/// configuration, fed to the real binary: devenv answers with exit 0 or 2 and a message naming
/// the file, never a signal, a hang or an out-of-memory abort (issue 9, section 7).
@Suite(.serialized) struct BadFilesTests {
    /// A fresh project folder with a Dockerfile and an env file, removed by the caller.
    private func project() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("devenv-badfiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "FROM scratch AS dev\n".write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        try "A=1\n".write(toFile: dir + "/.env.dev", atomically: true, encoding: .utf8)
        return dir
    }

    /// `script` run by bash with `$1` the folder `dir` and `$2` devenv (no engine: docker is
    /// /bin/false), for folders only a shell can make (bytes that are not UTF-8, deep paths).
    private func bash(_ script: String, in dir: String) throws -> ProcessResult {
        try TestEngine.run(["/bin/bash", "-c", script, "bash", dir, DevenvBinary.path],
                           environment: ["DEVENV_DOCKER": "/bin/false", "NO_COLOR": "1"], timeoutSeconds: 20)
    }

    /// devenv with a deadline: exit 124 means it hung, 128+N that a signal ended it.
    private func devenv(_ arguments: [String], in dir: String) throws -> ProcessResult {
        try TestEngine.run([DevenvBinary.path, "--project", dir, "--no-tui"] + arguments,
                           environment: ["DEVENV_DOCKER": "/bin/false", "NO_COLOR": "1"], timeoutSeconds: 20)
    }

    private func replace(_ path: String, with make: (String) -> Int32) throws {
        _ = unlink(path)
        #expect(make(path) == 0, "making \(path)")
    }

    @Test(arguments: ["devenv.toml", "pyproject.toml", ".env.dev", "Dockerfile"])
    func aFIFOIsRefusedWithoutBlocking(name: String) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try replace(dir + "/" + name) { mkfifo($0, 0o644) }
        // config reads devenv.toml and pyproject.toml; up --dry-run also the env file and Dockerfile.
        let result = try devenv(["up", "--dry-run"], in: dir)
        #expect(result.exitCode == 2, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("\(name) is a FIFO (named pipe), not a regular file"), "\(result.stderrText)")
    }

    /// hostile24: a Dockerfile that is a link to itself was exit 1 ("cannot open ...: Too
    /// many levels of symbolic links"), unlike every other bad file (exit 2). legacy25: an env
    /// file that is such a link was a warning, "not found".
    @Test(arguments: ["Dockerfile", ".env.dev"])
    func aLinkLoopIsABadFile(name: String) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try replace(dir + "/" + name) { symlink($0, $0) }
        let result = try devenv(["up", "--dry-run"], in: dir)
        #expect(result.exitCode == 2, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("\(name) is a symbolic link that goes round in a loop"), "\(result.stderrText)")
    }

    @Test func devZeroAndAFolderAreRefused() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try replace(dir + "/devenv.toml") { symlink("/dev/zero", $0) }
        let zero = try devenv(["config"], in: dir)
        #expect(zero.exitCode == 2, "exit \(zero.exitCode): \(zero.stderrText)")
        #expect(zero.stderrText.contains("devenv.toml is a character device, not a regular file"), "\(zero.stderrText)")

        try replace(dir + "/devenv.toml") { mkdir($0, 0o755) }
        let folder = try devenv(["config"], in: dir)
        #expect(folder.exitCode == 2, "exit \(folder.exitCode): \(folder.stderrText)")
        #expect(folder.stderrText.contains("devenv.toml is a folder, not a regular file"), "\(folder.stderrText)")
    }

    /// break22: a devenv.toml (or pyproject.toml) that is a symbolic link leading to no file, a
    /// loop of links or a link to a file that is gone, was taken for no devenv.toml at all: the
    /// shipped profiles ran under the folder's name, silently. And a project folder that is
    /// such a link was "no project folder at ..." though the link is there.
    @Test(arguments: ["devenv.toml", "pyproject.toml"])
    func aConfigurationLinkThatLeadsNowhereIsAnError(name: String) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A loop: NAME -> a -> NAME.
        try replace(dir + "/" + name) { symlink("a", $0) }
        try replace(dir + "/a") { symlink(name, $0) }
        let loop = try devenv(["config"], in: dir)
        #expect(loop.exitCode == 2, "exit \(loop.exitCode): \(loop.stderrText)")
        #expect(loop.stderrText.contains("\(name) is a symbolic link to a, which leads to no file"), "\(loop.stderrText)")
        // A link to a file that is not there.
        try replace(dir + "/" + name) { symlink("../gone/devenv.toml", $0) }
        let dangling = try devenv(["up", "--dry-run"], in: dir)
        #expect(dangling.exitCode == 2, "exit \(dangling.exitCode): \(dangling.stderrText)")
        #expect(dangling.stderrText.contains("\(name) is a symbolic link to ../gone/devenv.toml, which leads to no file"),
                "\(dangling.stderrText)")
        #expect(!dangling.stdoutText.contains("docker"), "planned with the shipped profiles: \(dangling.stdoutText)")
    }

    @Test func aProjectFolderLinkThatLeadsNowhereIsSaidSo() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try replace(dir + "/one") { symlink("two", $0) }
        try replace(dir + "/two") { symlink("one", $0) }
        let result = try devenv(["status"], in: dir + "/one")
        #expect(result.exitCode == 2, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("the project folder \(dir)/one is a symbolic link to two, which leads to no folder"),
                "\(result.stderrText)")
    }

    /// break22: a project folder whose name is not UTF-8 (Latin-1 "caf\xe9") was "no project
    /// folder at .../caf\u{FFFD}" though it is there: devenv reads paths as UTF-8.
    @Test func aProjectPathThatIsNotUTF8IsSaidSo() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = #"""
            d="$(printf '%s/caf\351' "$1")"
            mkdir "$d" && cd "$d" || exit 99
            printf '[project]\nname = "latin"\n' > devenv.toml || exit 97
            "$2" --no-tui status; echo "exit $?"
            "$2" --no-tui -C "$d" config; echo "exit $?"
            """#
        let result = try bash(script, in: dir)
        #expect(result.stdoutText.components(separatedBy: "exit 2\n").count == 3, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.components(separatedBy: "holds bytes that are not UTF-8").count == 3, "\(result.stderrText)")
        #expect(!result.stderrText.contains("no project folder"), "\(result.stderrText)")
    }

    /// mend26b: a folder literally named "\u{FFFD}" (the bytes EF BF BD: valid UTF-8) was refused
    /// as "not valid UTF-8", the check looking at the decoded text; and a symbolic link to a
    /// folder whose name is not UTF-8 was used under the link's name. The check goes by the
    /// bytes the kernel resolves now.
    @Test func aFolderNamedWithTheReplacementCharacterIsUTF8() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = #"""
            d="$(printf '%s/\357\277\275' "$1")"
            mkdir "$d" && cd "$d" || exit 99
            printf '[project]\nname = "replacement"\n' > devenv.toml || exit 97
            "$2" --no-tui config >/dev/null; echo "exit $?"
            l="$(printf '%s/caf\351' "$1")"
            mkdir "$l" && printf '[project]\nname = "latin"\n' > "$l/devenv.toml" && ln -s "$l" "$1/link" || exit 98
            "$2" --no-tui -C "$1/link" config >/dev/null; echo "exit $?"
            """#
        let result = try bash(script, in: dir)
        #expect(result.stdoutText == "exit 0\nexit 2\n", "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.components(separatedBy: "holds bytes that are not UTF-8").count == 2, "\(result.stderrText)")
        #expect(result.stderrText.contains("\(dir)/link"), "\(result.stderrText)")
    }

    /// break21: a project folder whose path is longer than Linux takes (made 200 bytes a level
    /// from inside by bash, as deep trees are: dash's cd refuses so long a path) was "no project
    /// folder at ..." though it is there.
    @Test func aProjectPathLongerThanLinuxTakesIsSaidSo() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let level = String(repeating: "d", count: 200)
        let script = """
            cd "$1" || exit 99
            i=0; while [ $i -lt 25 ]; do mkdir \(level) && cd \(level) || exit 98; i=$((i+1)); done
            printf '[project]\\nname = "deep"\\n' > devenv.toml || exit 97
            "$2" --no-tui status; echo "exit $?"
            "$2" --no-tui -C "$PWD" config; echo "exit $?"
            """
        let result = try bash(script, in: dir)
        #expect(result.stdoutText.components(separatedBy: "exit 2\n").count == 3, "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.components(separatedBy: "Linux takes paths of at most 4095 bytes").count == 3, "\(result.stderrText)")
        #expect(!result.stderrText.contains("no project folder"), "\(result.stderrText)")
    }

    /// mend27a: a project folder the kernel reaches by a short path whose resolved path is longer
    /// than Linux takes (a link into a deep tree, and on from there) fails realpath with
    /// ENAMETOOLONG, which devenv said was "not UTF-8". It says the system's error now, exit 2.
    @Test func aFolderWhoseResolvedPathIsTooLongSaysSo() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let level = String(repeating: "d", count: 200)
        let script = """
            cd "$1" || exit 99
            i=0; while [ $i -lt 12 ]; do mkdir \(level) && cd \(level) || exit 98; i=$((i+1)); done
            ln -s "$PWD" "$1/link" || exit 96
            i=0; while [ $i -lt 12 ]; do mkdir \(level) && cd \(level) || exit 98; i=$((i+1)); done
            printf '[project]\\nname = "deep"\\n' > devenv.toml || exit 97
            rest="${PWD#$(readlink "$1/link")/}"
            "$2" --no-tui -C "$1/link/$rest" config; echo "exit $?"
            """
        let result = try bash(script, in: dir)
        #expect(result.stdoutText.hasSuffix("exit 2\n"), "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.contains("File name too long"), "\(result.stderrText)")
        #expect(!result.stderrText.contains("not UTF-8"), "\(result.stderrText)")
    }

    /// mend27a: a project folder under a folder devenv's user may not search (EACCES) was "no
    /// project folder at ..." though it is there. It says the system's error now, exit 2. Run as
    /// nobody when the tests run as root, whom no permission bit stops.
    @Test func aFolderDevenvMayNotReachSaysSo() throws {
        let dir = try project()
        defer {
            _ = chmod(dir + "/locked", 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        _ = chmod(dir, 0o755)
        let script = #"""
            mkdir -p "$1/locked/app" && printf '[project]\nname = "locked"\n' > "$1/locked/app/devenv.toml" || exit 99
            chmod 0 "$1/locked" || exit 98
            as=""; [ "$(id -u)" = 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
            $as "$2" --no-tui -C "$1/locked/app" config; echo "exit $?"
            """#
        let result = try bash(script, in: dir)
        #expect(result.stdoutText.hasSuffix("exit 2\n"), "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.contains("\(dir)/locked/app") && result.stderrText.contains("Permission denied"), "\(result.stderrText)")
        #expect(!result.stderrText.contains("no project folder"), "\(result.stderrText)")
    }

    /// cachebreak27: a configuration kept between runs (`ConfigurationCache`) records what it read
    /// by the files' stamps, which do not say who may read them: a run with a group, or as root
    /// with CAP_DAC_OVERRIDE, that read devenv.toml kept it, and a run without (same user, same
    /// environment) then got it where a full read says "Permission denied". Whom the kernel
    /// checks is in the key now. Root only (setpriv).
    @Test func aConfigurationKeptUnderOtherCredentialsIsNotUsed() throws {
        guard getuid() == 0 else { return }
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = #"""
            dir=$1 devenv=$2
            printf '[project]\nname = "creds"\n' > "$dir/devenv.toml" || exit 99
            mkdir -m 700 "$dir/state" && chown 65534 "$dir/state" && chmod 755 "$dir" || exit 98
            export XDG_STATE_HOME="$dir/state" HOME="$dir/state"
            # Waits (10 s at most) until a run as "$@" kept the configuration: a file changed
            # within 2 s of a reading is not kept (the racy rule).
            kept() {
                for _ in $(seq 100); do
                    "$@" "$devenv" --no-tui -C "$dir" status >/dev/null 2>&1
                    ls "$dir/state/devenv/"*.config >/dev/null 2>&1 && return 0
                    sleep 0.1
                done
                echo "waited 10 s for a run to keep the configuration in $dir/state/devenv" >&2; exit 97
            }
            # Readable by group 4242 only: nobody with that group, then without it.
            chgrp 4242 "$dir/devenv.toml" && chmod 640 "$dir/devenv.toml" || exit 96
            kept setpriv --reuid=65534 --regid=65534 --groups=4242
            setpriv --reuid=65534 --regid=65534 --clear-groups "$devenv" --no-tui -C "$dir" status; echo "groups exit $?"
            # Readable by its owner, nobody, only: root with every capability, then without DAC_OVERRIDE.
            rm -f "$dir/state/devenv/"*.config
            chown 65534:0 "$dir/devenv.toml" && chmod 600 "$dir/devenv.toml" && chown -R 0:0 "$dir/state" || exit 95
            kept setpriv --reuid=0
            setpriv --reuid=0 --inh-caps=-all --bounding-set=-dac_override,-dac_read_search "$devenv" --no-tui -C "$dir" status
            echo "caps exit $?"
            """#
        let result = try bash(script, in: dir)
        #expect(result.stdoutText.contains("groups exit 2\n"), "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stdoutText.contains("caps exit 2\n"), "\(result.stdoutText) \(result.stderrText)")
        #expect(result.stderrText.components(separatedBy: "devenv.toml: Permission denied").count == 3, "\(result.stderrText)")
    }

    /// regress26: files the docker CLI reads for a build, not devenv: a `.dockerignore` (or
    /// `Dockerfile.dockerignore`) that is a FIFO held `up` in `docker build` for ever (one
    /// SIGTERM did not end it), and a build secret or `ca_bundle` that is one would do the same
    /// once a RUN mounts it. Refused before the build, as every file devenv reads itself is.
    @Test(arguments: [".dockerignore", "Dockerfile.dockerignore", "secret", "bundle.pem"])
    func aFileTheBuildReadsThatIsAFIFOIsRefusedBeforeTheBuild(name: String) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[project]\nname = \"fifo\"\nca_bundle = \"bundle.pem\"\n\n[project.build_secrets]\ntok = { src = \"secret\" }\n"
            .write(toFile: dir + "/devenv.toml", atomically: true, encoding: .utf8)
        for plain in ["secret", "bundle.pem"] { try "x\n".write(toFile: dir + "/" + plain, atomically: true, encoding: .utf8) }
        try replace(dir + "/" + name) { mkfifo($0, 0o644) }
        let result = try devenv(["up", "--dry-run"], in: dir)
        #expect(result.exitCode == 2, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains("\(name) is a FIFO (named pipe), not a regular file"), "\(result.stderrText)")
        #expect(!result.stdoutText.contains(" build "), "no build planned: \(result.stdoutText)")
    }

    /// mend27b: the build's secrets and CA bundle are the docker CLI's to read: devenv checks only
    /// their kind, without reading them, so a 100 MiB secret (over devenv's own 16 MiB limit for
    /// what it reads) is passed on, not refused. A FIFO still is (above).
    @Test(arguments: ["secret", "bundle.pem"])
    func aLargeSecretOrBundleIsPassedToTheBuild(name: String) throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[project]\nname = \"large\"\nca_bundle = \"bundle.pem\"\n\n[project.build_secrets]\ntok = { src = \"secret\" }\n"
            .write(toFile: dir + "/devenv.toml", atomically: true, encoding: .utf8)
        for plain in ["secret", "bundle.pem"] { try "x\n".write(toFile: dir + "/" + plain, atomically: true, encoding: .utf8) }
        // Sparse: 100 MiB on paper, nothing on disk.
        let fd = open(dir + "/" + name, O_WRONLY | O_TRUNC)
        #expect(ftruncate(fd, 100 << 20) == 0)
        close(fd)
        let result = try devenv(["up", "--dry-run"], in: dir)
        #expect(result.exitCode == 0, "exit \(result.exitCode): \(result.stderrText)")
        #expect(!result.stderrText.contains("MiB"), "\(result.stderrText)")
        #expect(result.stdoutText.contains(" build ") && result.stdoutText.contains("src=\(dir)/\(name)"), "a build with the file: \(result.stdoutText)")
    }

    @Test func aHugeEnvFileIsRefusedBeforeItIsRead() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Sparse: 64 MiB on paper, nothing on disk.
        let fd = open(dir + "/.env.dev", O_WRONLY | O_TRUNC)
        #expect(ftruncate(fd, 64 << 20) == 0)
        close(fd)
        let result = try devenv(["up", "--dry-run"], in: dir)
        #expect(result.exitCode == 2, "exit \(result.exitCode): \(result.stderrText)")
        #expect(result.stderrText.contains(".env.dev is 64 MiB; devenv reads files of at most 16 MiB"), "\(result.stderrText)")
    }

    @Test func theLocalFileSystemReadsOnlyRegularFiles() throws {
        let fs = LocalFileSystem()
        #expect(throws: DevEnvError.self) { try fs.readFile("/dev/null") }
        #expect(throws: DevEnvError.self) { try fs.readFile("/") }
        #expect(try fs.readFile("/no/such/file") == nil)
    }

    // MARK: Fuzzing the whole configuration path

    private static let seedToml = """
        [project]
        name = "fuzz"
        default_profile = "dev"
        mounts = ["./data:/data:ro"]

        [profiles.dev]
        ports = ["8001:8000"]
        env = { LOG_LEVEL = "INFO", EXTRA = "x" }
        volumes.cache = "/home/dev/.cache"

        [profiles.staging]
        extends = "prod"
        ports = ["8443:8443"]
        restart = "always"

        [profiles.lint]
        extends = "staging"
        command = ["ruff", "check"]
        """
    private static let seedPyproject = """
        [project]
        name = "fuzz-app"
        version = "0.1.0"
        dependencies = ["six>=1.16"]

        [dependency-groups]
        dev = ["pytest>=8"]

        [tool.devenv.profiles.dev]
        env = { FROM_PYPROJECT = "1" }
        """
    private static let seedProfile = """
        extends = "dev"
        description = "a project profile"
        user = "1000:1000"
        volumes = { venv = "/venv" }
        """
    /// Fragments that stress the decoder and the validation behind it.
    private static let fragments = [
        "[", "]", "[[", "]]", "=", "\"", "'''", "\"\"\"", "{", "}", ",", ".", "\\u0000", "\\", "#",
        "extends = \"lint\"", "extends = \"staging\"", "ports = [\"99999:1\"]", "user = \"-1:0\"",
        "[profiles.dev]", "[profiles.x.y.z]", "a.b.c.d = 1", "1979-05-27T07:32:00Z", "inf", "nan",
        "0x_1", "1e400", "\u{1b}]52;c;AAAA\u{07}", "\u{0}", "\u{7f}", "é", "\u{feff}", "\r", "\n", "\t",
        "[[profiles.dev.volumes]]", "mounts = [\"${HOME}:/h\"]", "env_file = \"/dev/zero\"",
    ]

    private static func mutate(_ text: String, _ random: inout SplitMix64) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + random.below(6)) {
            let at = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
            switch random.below(5) {
            case 0 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
            case 1: bytes.insert(contentsOf: Array(fragments[random.below(fragments.count)].utf8), at: at)
            case 2 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
            case 3:
                // Repeat a slice: long lines, deep nesting, many keys.
                let end = min(bytes.count, at + 1 + random.below(40))
                let slice = Array(bytes[at..<end])
                for _ in 0..<random.below(200) { bytes.insert(contentsOf: slice, at: at) }
            default:
                let end = min(bytes.count, at + random.below(30))
                bytes.removeSubrange(at..<end)
            }
        }
        return bytes
    }

    /// 120 mutated projects (devenv.toml, pyproject.toml and a project profile mutated together)
    /// through `config` and `up --dry-run`: each run ends by itself with exit 0 or 2, and an
    /// exit 2 says where (a `file:line:col`, or names the file it could not use).
    @Test func mutatedConfigurationNeverCrashesOrHangs() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/.devenv/profiles", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        var random = SplitMix64(seed: 0x5EED_0009)
        var exits: [Int32: Int] = [:]
        for iteration in 0..<120 {
            let files = [("devenv.toml", Self.seedToml), ("pyproject.toml", Self.seedPyproject),
                         (".devenv/profiles/extra.toml", Self.seedProfile)]
            for (name, seed) in files {
                let bytes = random.below(3) == 0 ? Array(seed.utf8) : Self.mutate(seed, &random)
                #expect(FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)))
            }
            let command = iteration % 2 == 0 ? ["config"] : ["up", "--dry-run"]
            let result = try devenv(command, in: dir)
            exits[result.exitCode, default: 0] += 1
            let replay = "iteration \(iteration) (seed 0x5EED0009), \(command.joined(separator: " "))"
            #expect(result.exitCode == 0 || result.exitCode == 2,
                    "\(replay): exit \(result.exitCode) (124 = hung, 128+N = signal N)\n\(result.stderrText)")
            if result.exitCode == 2 {
                let text = result.stderrText
                let located = text.range(of: #"\.toml:\d+:\d+"#, options: .regularExpression) != nil
                let namesFile = text.contains("devenv.toml") || text.contains("pyproject.toml") || text.contains("extra.toml")
                #expect(located || namesFile, "\(replay): an error that says neither where nor which file:\n\(text)")
                #expect(!text.contains("\u{1b}"), "\(replay): raw escape on stderr")
            }
        }
        // Both outcomes were exercised: the mutations are neither all harmless nor all fatal.
        #expect((exits[0] ?? 0) > 0 && (exits[2] ?? 0) > 0, "exits: \(exits)")
    }
}
