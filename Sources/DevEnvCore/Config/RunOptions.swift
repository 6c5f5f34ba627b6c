/// `run_args` (a profile key; devcontainer.json's `runArgs`): extra `docker run` options devenv
/// does not model, checked against a list of options known to be safe. Options that would
/// break what devenv guarantees (its names and labels, the synced user, its clean-up, the
/// ports and mounts it checks) are refused with the reason and what to use instead.
public enum RunOptions {
    public struct Problem: Error, Sendable, Hashable {
        /// Index of the offending word in the list.
        public var index: Int
        public var reason: String
        /// An option known to take a value has none (`["--gpus", "--privileged"]`): an error
        /// wherever the list comes from (devcontainer.json's other problems are only warnings),
        /// as docker would take the next option as the value.
        public var missingValue: Bool = false
    }

    /// An option devenv passes through, with whether it takes a value.
    struct Allowed {
        var takesValue: Bool
        /// A warning to show whenever it is used.
        var caution: String?
    }

    /// The `--gpus` options of checked run_args (`--gpus all`, `--gpus=all`), as written, for
    /// the warning when the engine cannot give GPUs.
    public static func gpuOptions(_ words: [String]) -> [String] {
        var found: [String] = []
        var index = words.startIndex
        while index < words.endIndex {
            if words[index] == "--gpus" {
                found.append(index + 1 < words.endIndex ? "--gpus \(words[index + 1])" : "--gpus")
                index += 2
                continue
            }
            if words[index].hasPrefix("--gpus=") { found.append(words[index]) }
            index += 1
        }
        return found
    }

    /// `words` without their `--gpus` options: what runs on an engine without a GPU runtime
    /// (`EngineFacts.hasGPURuntime`), where docker would refuse to start the container
    /// ("could not select device driver").
    public static func withoutGPUs(_ words: [String]) -> [String] {
        var kept: [String] = []
        var index = words.startIndex
        while index < words.endIndex {
            if words[index] == "--gpus" { index += 2; continue }
            if !words[index].hasPrefix("--gpus=") { kept.append(words[index]) }
            index += 1
        }
        return kept
    }

    static let allowed: [String: Allowed] = {
        var table: [String: Allowed] = [:]
        for name in ["--gpus", "--device", "--shm-size", "--add-host", "--cap-add", "--cap-drop", "--security-opt",
                     "--ulimit", "--memory", "-m", "--memory-swap", "--memory-reservation", "--cpus", "--cpu-shares",
                     "--cpuset-cpus", "--pids-limit", "--dns", "--dns-search", "--dns-option", "--sysctl", "--group-add",
                     "--device-cgroup-rule", "--tmpfs", "--hostname", "-h", "--ipc", "--oom-score-adj", "--stop-signal",
                     "--stop-timeout", "--env", "-e", "--health-cmd", "--health-interval", "--health-retries",
                     "--health-timeout", "--health-start-period", "--log-driver", "--log-opt", "--runtime"] {
            table[name] = Allowed(takesValue: true)
        }
        table["--init"] = Allowed(takesValue: false)
        table["--read-only"] = Allowed(takesValue: false)
        table["--no-healthcheck"] = Allowed(takesValue: false)
        table["--privileged"] = Allowed(takesValue: false,
                                        caution: "--privileged gives the container every capability and the host's devices")
        return table
    }()

    /// Options refused, with why and what to use instead.
    static let refused: [String: String] = [
        "--name": "devenv names the container devenv-PROJECT-PROFILE to find it again",
        "--user": "devenv runs the container as the synced user; set the profile's `user`",
        "-u": "devenv runs the container as the synced user; set the profile's `user`",
        "--userns": "devenv maps the host user itself; another user namespace breaks file ownership",
        "--rm": "devenv manages the container's life; `devenv down` removes it",
        "--detach": "devenv starts the container detached itself",
        "-d": "devenv starts the container detached itself",
        "--label": "devenv's labels identify its containers; extra labels are not supported",
        "-l": "devenv's labels identify its containers; extra labels are not supported",
        "--label-file": "devenv's labels identify its containers; extra labels are not supported",
        "--network": "set the profile's `network`",
        "--net": "set the profile's `network`",
        "--restart": "set the profile's `restart`",
        "--publish": "use the profile's `ports`, which devenv checks for conflicts",
        "-p": "use the profile's `ports`, which devenv checks for conflicts",
        "--publish-all": "use the profile's `ports`, which devenv checks for conflicts",
        "-P": "use the profile's `ports`, which devenv checks for conflicts",
        "--volume": "use `mounts` (bind mounts) or the profile's `volumes` (labelled named volumes)",
        "-v": "use `mounts` (bind mounts) or the profile's `volumes` (labelled named volumes)",
        "--mount": "use `mounts` (bind mounts) or the profile's `volumes` (labelled named volumes)",
        "--volumes-from": "use `mounts` (bind mounts) or the profile's `volumes` (labelled named volumes)",
        "--workdir": "set `workspace` in [project]",
        "-w": "set `workspace` in [project]",
        "--entrypoint": "set the profile's `command`",
        "--env-file": "set the profile's `env_file`",
        "--cidfile": "devenv finds its container by name and labels",
        "--interactive": "devenv exec and shell attach interactively",
        "-i": "devenv exec and shell attach interactively",
        "--tty": "devenv exec and shell attach a terminal",
        "-t": "devenv exec and shell attach a terminal",
        "--pid": "sharing a process namespace lets the container signal processes devenv does not manage",
        "--platform": "devenv builds the image for the engine's own platform",
        "--pull": "devenv builds or uses the image itself",
    ]

    /// The outcome of checking a list: the options to pass (a duplicate `--init` dropped: devenv
    /// always runs an init), every refused or unknown option (left out, with its value), and
    /// cautions for the allowed but risky ones.
    public struct Checked: Sendable {
        public var options: [String] = []
        public var problems: [Problem] = []
        public var cautions: [Problem] = []
    }

    public static func check(_ words: [String]) -> Checked {
        var checked = Checked()
        var index = 0
        while index < words.count {
            let word = words[index]
            guard word.hasPrefix("-"), word != "-", word != "--" else {
                checked.problems.append(Problem(index: index, reason: "\"\(word)\" is not an option (only docker run options belong here; the command is the profile's `command`)"))
                index += 1
                continue
            }
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            let inlineValue = word.contains("=")
            // The word after an option without `=` is its value when it is not an option itself.
            let nextIsValue = !inlineValue && index + 1 < words.count && !words[index + 1].hasPrefix("-")
            if let reason = refused[name] {
                checked.problems.append(Problem(index: index, reason: "\(name) is not allowed: \(reason)"))
                index += nextIsValue && allowsSeparateValue(name) ? 2 : 1
                continue
            }
            guard let option = allowed[name] else {
                checked.problems.append(Problem(index: index, reason: "\(name) is not among the docker run options devenv knows to be safe (README, \"run_args\", lists them)"))
                index += nextIsValue ? 2 : 1
                continue
            }
            if let caution = option.caution { checked.cautions.append(Problem(index: index, reason: caution)) }
            if option.takesValue && !inlineValue {
                guard index + 1 < words.count else {
                    checked.problems.append(Problem(index: index, reason: "\(name) needs a value", missingValue: true))
                    index += 1
                    continue
                }
                // docker's flag parser takes the next word as the value whatever it is, so
                // `--gpus --privileged` would hand "--privileged" to --gpus. A negative number
                // (`--oom-score-adj -500`) is a value; any other value starting with '-' is
                // written with '='.
                let next = words[index + 1]
                if next.hasPrefix("-") && !isNegativeNumber(next) {
                    checked.problems.append(Problem(index: index + 1,
                                                    reason: "\(name) needs a value, found the option \"\(next)\" "
                                                        + "(a value that starts with '-' is written \(name)=VALUE)",
                                                    missingValue: true))
                    index += 1
                    continue
                }
                if let problem = valueProblem(name, next) {
                    checked.problems.append(Problem(index: index + 1, reason: problem))
                    index += 2
                    continue
                }
                checked.options += [word, words[index + 1]]
                index += 2
                continue
            }
            if option.takesValue, let problem = valueProblem(name, String(word.dropFirst(name.count + 1))) {
                checked.problems.append(Problem(index: index, reason: problem))
                index += 1
                continue
            }
            if !option.takesValue && inlineValue {
                checked.problems.append(Problem(index: index, reason: "\(name) takes no value"))
            } else if name != "--init" {
                checked.options.append(word)
            }
            index += 1
        }
        return checked
    }

    /// What is wrong with `value` of the allowed option `name`, where devenv reads the value
    /// itself: `--stop-timeout` is what `down` and `restart` say and wait for (`DockerPlanner.stopWait`).
    /// Docker reads a negative one as "never SIGKILL" and Podman 4 as "SIGKILL at once", and
    /// devenv said "SIGKILL if it has not exited within -1 s"; a value that is no whole number
    /// failed only at `docker run`, far from where it was written.
    static func valueProblem(_ name: String, _ value: String) -> String? {
        guard name == "--stop-timeout" else { return nil }
        if !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), Int(value) != nil { return nil }
        return "\(name) takes whole seconds, 0 or more, found \"\(TerminalSafeText.escaping(value, keepingLineBreaks: false))\""
            + (value.hasPrefix("-") && isNegativeNumber(value) ? " (engines disagree on a negative one: Docker never sends SIGKILL, Podman 4 sends it at once)" : "")
    }

    /// `-500`, `-1.5`: a value, not an option (no docker run option is a '-' and a digit).
    private static func isNegativeNumber(_ word: String) -> Bool {
        guard word.count > 1, let first = word.dropFirst().first, first.isASCII, first.isNumber else { return false }
        return true
    }

    /// Refused flags that take no value must not swallow the next option's value.
    private static func allowsSeparateValue(_ name: String) -> Bool {
        !["--rm", "--detach", "-d", "--publish-all", "-P", "--interactive", "-i", "--tty", "-t"].contains(name)
    }

    /// The allowed options, for README and `--help` texts.
    public static var allowedNames: [String] { allowed.keys.sorted() }
}
