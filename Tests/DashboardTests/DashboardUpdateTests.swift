import Dashboard
import DevEnvCore
import TerminalUI
import Testing

@Suite("Dashboard update: keys and messages to effects")
struct DashboardUpdateTests {
    typealias F = DashboardFixture

    @Test("start: the snapshot alone; once it answers, the events stream from the moment before it, then dev's log and stats")
    func start() {
        var state = DashboardState(project: "demo", root: "/p")
        state.now = F.now
        let commands = state.update(.start(Size(width: 80, height: 24)))
        #expect(F.effects(commands) == [.refresh])
        state.now = F.now + 0.25
        let after = state.update(.message(.snapshot(F.rows())))
        // Once the stream runs, one more snapshot: what `--since` could not replay (it keeps
        // the engine's last 256 events only) it shows (left23).
        #expect(F.effects(after) == [.startEvents(since: 1_800_000_000_000_000_000), .refresh, .describeEngine,
                                     .followLogs(container: "devenv-demo-dev", profile: "dev"),
                                     .watchStats(containers: ["devenv-demo-dev"])])
        #expect(state.followedContainer == "devenv-demo-dev")
        // Started once: later snapshots do not start it again.
        _ = state.update(.message(.retryRefresh))
        #expect(!F.effects(state.update(.message(.snapshot(F.rows())))).contains { if case .startEvents = $0 { true } else { false } })
    }

    @Test("start: a first snapshot that fails (no engine) still starts the events stream, which tells when it is back")
    func startWithoutEngine() {
        var state = DashboardState(project: "demo", root: "/p")
        state.now = F.now
        _ = state.update(.start(Size(width: 80, height: 24)))
        let failed = state.update(.message(.engineUnreachable("devenv: error: no Docker engine answers\n")))
        #expect(F.effects(failed) == [.startEvents(since: 1_800_000_000_000_000_000), .describeEngine])
    }

    @Test("selecting moves the log and stats streams; a container that does not exist has none")
    func selection() {
        var state = F.state()
        // Stats cover every running container whatever is selected: only the log moves.
        #expect(F.effects(state.update(F.key("j"))) == [.followLogs(container: nil, profile: nil)])
        #expect(state.selected?.profile == "ci")
        // prod exists (exited): its log, but no stats.
        #expect(F.effects(state.update(F.key(.down))) == [.followLogs(container: "devenv-demo-prod", profile: "prod")])
        #expect(F.effects(state.update(F.key(.down))).isEmpty) // the last row stays selected
        #expect(F.effects(state.update(F.key("k"))) == [.followLogs(container: nil, profile: nil)])
    }

    @Test("p opens a picker on the selected profile: arrows move, Enter selects it (log follows), Esc cancels")
    func profilePicker() {
        var state = F.state()
        _ = state.update(F.key("j"))
        #expect(F.effects(state.update(F.key("p"))).isEmpty)
        #expect(state.overlay == .pickProfile(highlighted: 1))
        // The picker's keys, not the panes': j moves the highlight, not the selection.
        _ = state.update(F.key("j"))
        #expect(state.overlay == .pickProfile(highlighted: 2))
        #expect(state.selected?.profile == "ci")
        _ = state.update(F.key(.down))
        #expect(state.overlay == .pickProfile(highlighted: 2), "the last row stays highlighted")
        // A key the picker does not bind does nothing (u would start an action outside it).
        #expect(F.effects(state.update(F.key("u"))).isEmpty)
        #expect(state.actions.isEmpty)
        #expect(F.effects(state.update(F.key(.enter))) == [.followLogs(container: "devenv-demo-prod", profile: "prod")])
        #expect(state.overlay == nil)
        #expect(state.selected?.profile == "prod")
        #expect(state.message == "profile prod")
        // Esc closes it as it was.
        _ = state.update(F.key("p"))
        _ = state.update(F.key("g"))
        #expect(state.overlay == .pickProfile(highlighted: 0))
        #expect(F.effects(state.update(F.key(.escape))).isEmpty)
        #expect(state.overlay == nil)
        #expect(state.selected?.profile == "prod")
        _ = state.update(F.key("p"))
        _ = state.update(F.key("k"))
        _ = state.update(F.key(.character("c"), .ctrl))
        #expect(state.overlay == nil && state.selected?.profile == "prod", "Ctrl-C cancels the picker, it does not quit")
        // Service rows are not profiles: the picker lists and selects the environments' own rows.
        var rows = F.rows()
        var db = rows[0]
        db.service = "db"
        db.container = "devenv-demo-dev-db"
        rows.insert(db, at: 1)
        _ = state.update(.message(.snapshot(rows)))
        _ = state.update(F.key("g"))
        _ = state.update(F.key("p"))
        #expect(state.overlay == .pickProfile(highlighted: 0))
        _ = state.update(F.key("j"))
        _ = state.update(F.key(.enter))
        #expect(state.selected?.profile == "ci" && state.selected?.service == nil)
        _ = state.update(F.key("p"))
        let picker = DashboardFixture.text(state, width: 80, height: 24)
        #expect(picker.components(separatedBy: "  dev  running").count == 2, "dev once, its service not: \(picker)")
        #expect(picker.contains("▸ ci   not created"), "\(picker)")
    }

    @Test("u r b y c run their subcommand in the background; s and e hand the terminal over")
    func actions() {
        let cases: [(Character, DashboardAction)] = [("u", .up), ("r", .restart), ("b", .build), ("y", .syncDeps), ("c", .cleanCache)]
        for (key, action) in cases {
            var state = F.state()
            let effects = F.effects(state.update(F.key(key)))
            #expect(effects == [.run(action, profile: "dev")], "key \(key)")
            #expect(state.actions["dev"]?.isRunning == true)
        }
        var state = F.state()
        #expect(F.effects(state.update(F.key("s"))) == [.handOver(.shell, profile: "dev")])
        #expect(F.effects(state.update(F.key("e"))).isEmpty)
        F.type("ls -la", into: &state)
        _ = state.update(F.key(.backspace))
        #expect(F.effects(state.update(F.key(.enter))) == [.handOver(.exec("ls -l"), profile: "dev")])
        #expect(state.overlay == nil)
    }

    /// leftovers25: the row's phase was read from the action's output text ("devenv: building"),
    /// which its containers and build steps write too. Now it comes as data from Progress.
    @Test("a running action's phase comes from its progress as data, not from what its output says")
    func anActionsPhaseComesAsData() {
        var state = F.state()
        _ = state.update(F.key("b"))
        #expect(state.actions["dev"]?.phase == .other)
        // Output that looks like devenv's progress (a build step's echo) changes nothing.
        _ = state.update(.message(.actionOutput(profile: "dev", text: "devenv: building it all\ndevenv: starting the rest\n")))
        #expect(state.actions["dev"]?.phase == .other)
        _ = state.update(.message(.actionPhase(profile: "dev", phase: .building)))
        #expect(state.actions["dev"]?.phase == .building)
        #expect(state.stateLabel(of: state.environments[0]) == "building", "\(state.stateLabel(of: state.environments[0]))")
        _ = state.update(.message(.actionPhase(profile: "dev", phase: .other)))
        #expect(state.actions["dev"]?.phase == .other)
        _ = state.update(.message(.actionPhase(profile: "dev", phase: .starting)))
        _ = state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))
        // A phase that comes after the end does not revive it.
        _ = state.update(.message(.actionPhase(profile: "dev", phase: .building)))
        #expect(state.actions["dev"]?.phase == .other)
    }

    @Test("a second action on the same environment is refused with a message; another environment may run")
    func oneActionPerEnvironment() {
        var state = F.state()
        _ = state.update(F.key("b"))
        #expect(F.effects(state.update(F.key("u"))).isEmpty)
        #expect(state.message == "up dev: refused, build is still running on dev")
        #expect(state.messageIsError)
        #expect(F.effects(state.update(F.key("d"))).isEmpty)
        #expect(state.overlay == nil)
        _ = state.update(F.key("j"))
        _ = state.update(F.key("j"))
        #expect(F.effects(state.update(F.key("u"))) == [.run(.up, profile: "prod")])
        // Once it ended, dev takes actions again.
        _ = state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))
        _ = state.update(F.key("k"))
        _ = state.update(F.key("k"))
        #expect(F.effects(state.update(F.key("u"))) == [.run(.up, profile: "dev")])
    }

    @Test("d asks and y confirms; D (down --volumes --images) needs the profile name typed in full")
    func down() {
        var state = F.state()
        #expect(F.effects(state.update(F.key("d"))).isEmpty)
        #expect(state.overlay == .confirmDown(profile: "dev"))
        #expect(F.effects(state.update(F.key("n"))).isEmpty)
        #expect(state.overlay == nil)
        _ = state.update(F.key("d"))
        #expect(F.effects(state.update(F.key("y"))) == [.run(.down(volumes: false), profile: "dev")])

        state = F.state()
        _ = state.update(F.key("D"))
        F.type("de", into: &state)
        #expect(F.effects(state.update(F.key(.enter))).isEmpty)
        #expect(state.message?.contains("cancelled") == true)
        _ = state.update(F.key("D"))
        _ = state.update(.input(.paste("dev")))
        #expect(F.effects(state.update(F.key(.enter))) == [.run(.down(volumes: true, images: true), profile: "dev")])
        #expect(DashboardAction.downEverything.title == "down --volumes --images")
        _ = state.update(F.key("D")) // refused: down --volumes --images is running
        #expect(state.overlay == nil)
    }

    @Test("q quits at once when idle, asks while an action runs; Ctrl-C too")
    func quit() {
        var state = F.state()
        #expect(F.quits(state.update(F.key("q"))))
        #expect(F.quits(state.update(F.key(.character("c"), .ctrl))))
        _ = state.update(F.key("u"))
        #expect(!F.quits(state.update(F.key("q"))))
        #expect(state.overlay == .confirmQuit)
        #expect(!F.quits(state.update(F.key("n"))))
        _ = state.update(F.key("q"))
        #expect(F.quits(state.update(F.key("y"))))
    }

    @Test("Enter and Tab go round the panes; l focuses the logs; ? opens help, any key closes it")
    func panes() {
        var state = F.state()
        _ = state.update(F.key(.tab))
        #expect(state.focus == .details)
        _ = state.update(F.key(.tab))
        #expect(state.focus == .logs)
        _ = state.update(F.key(.enter))
        #expect(state.focus == .action)
        _ = state.update(F.key(.tab))
        #expect(state.focus == .environments)
        _ = state.update(F.key(.backTab))
        #expect(state.focus == .action)
        _ = state.update(F.key(.backTab))
        #expect(state.focus == .logs)
        _ = state.update(F.key(.escape))
        #expect(state.focus == .environments)
        _ = state.update(F.key("l"))
        #expect(state.focus == .logs)
        _ = state.update(F.key("?"))
        #expect(state.overlay == .help)
        #expect(F.effects(state.update(F.key("u"))).isEmpty)
        #expect(state.overlay == nil)
    }

    @Test("events change states without a poll; exec events are ignored; the stream reconnects with --since")
    func events() {
        var state = F.state()
        func event(_ action: String, _ name: String, _ nano: Int64, _ attributes: [String: String] = [:]) -> ProgramEvent<DashboardMessage> {
            var attributes = attributes
            attributes["name"] = name
            return .message(.containerEvent(ContainerEvent(action: action, detail: action == "health_status" ? attributes["detail"] : nil,
                                                           id: "x", name: name, attributes: attributes, timeNano: nano)))
        }
        let died = state.update(event("die", "devenv-demo-dev", 1_800_000_001_000_000_000, ["exitCode": "137"]))
        #expect(state.environments[0].stateLabel(phase: nil) == "exited (137)")
        #expect(F.effects(died).contains(.watchStats(containers: [])))
        _ = state.update(event("exec_start: sh -c true", "devenv-demo-dev", 1_800_000_002_000_000_000))
        #expect(state.lastEventNano == 1_800_000_001_000_000_000)
        let started = state.update(event("start", "devenv-demo-dev", 1_800_000_003_000_000_000))
        #expect(F.effects(started).contains(.watchStats(containers: ["devenv-demo-dev"])))
        #expect(state.environments[0].stateLabel(phase: nil) == "running")
        _ = state.update(event("health_status", "devenv-demo-dev", 1_800_000_004_000_000_000, ["detail": "unhealthy"]))
        #expect(state.environments[0].stateLabel(phase: nil) == "unhealthy")
        _ = state.update(event("destroy", "devenv-demo-prod", 1_800_000_005_000_000_000))
        #expect(state.environments[2].stateLabel(phase: nil) == "not created")
        _ = state.update(event("create", "devenv-demo-ci", 1_800_000_006_000_000_000))
        #expect(state.environments[1].stateLabel(phase: nil) == "starting")
        // A `devenv test` one-off carries the ci labels but is not the ci environment's container.
        _ = state.update(event("die", "eager_turing", 1_800_000_006_500_000_000,
                               ["devenv.profile": "ci", "devenv.project": "demo", "exitCode": "1"]))
        #expect(state.environments[1].stateLabel(phase: nil) == "starting")

        let ended = state.update(.message(.eventsEnded("Cannot connect to the Docker daemon")))
        #expect(ended.contains { if case .after(1000, .reconnectEvents) = $0 { true } else { false } })
        // The engine stays away: each retry waits twice as long, up to half a minute.
        let again = state.update(.message(.eventsEnded("Cannot connect to the Docker daemon")))
        #expect(again.contains { if case .after(2000, .reconnectEvents) = $0 { true } else { false } })
        #expect(state.message == "docker events: Cannot connect to the Docker daemon")
        let reconnect = F.effects(state.update(.message(.reconnectEvents)))
        #expect(reconnect.first == .startEvents(since: 1_800_000_006_500_000_000))
    }

    @Test("an event newer than the refresh in flight: that refresh's answer (partial or full) keeps the event's state; the refresh asked after the event decides (issue 14)")
    func eventNewerThanTheSnapshot() {
        var (state, _) = DashboardEngineStateTests.started()
        // The first snapshot's states: dev running (its ps answered).
        _ = state.update(.message(.partialSnapshot(F.rows())))
        // The events stream, started after that answer, replays a die from before it answered.
        let died = state.update(.message(.containerEvent(ContainerEvent(action: "die", id: "x", name: "devenv-demo-dev",
                                                                        attributes: ["exitCode": "137"], timeNano: 1_800_000_000_100_000_000))))
        #expect(state.environments[0].stateLabel(phase: nil) == "exited (137)")
        #expect(!F.effects(died).contains(.refresh), "a refresh is in flight: one more follows it")
        // The details of that older snapshot arrive: ages and the rest, but not the old state.
        let full = state.update(.message(.snapshot(F.rows())))
        #expect(state.environments[0].stateLabel(phase: nil) == "exited (137)")
        #expect(state.environments[0].imageAge == "2 hours ago")
        #expect(F.effects(full).contains(.refresh), "the refresh the event asked for")
        // That one was asked after the event: its answer is taken whole.
        _ = state.update(.message(.partialSnapshot(F.rows())))
        #expect(state.environments[0].stateLabel(phase: nil) == "running")
    }

    @Test("snapshots are never run twice at once: asked again meanwhile, one more follows")
    func refreshCoalescing() {
        var state = F.state()
        let first = F.effects(state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil))))
        #expect(first.isEmpty) // no action was running on dev: nothing to do
        _ = state.update(F.key("u"))
        #expect(F.effects(state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))) == [.refresh])
        _ = state.update(F.key("u"))
        #expect(F.effects(state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))).isEmpty)
        #expect(F.effects(state.update(.message(.snapshot(F.rows())))) == [.refresh])
        #expect(F.effects(state.update(.message(.snapshot(F.rows())))).isEmpty)
    }

    @Test("logs: search with / and n/N, follow and wrap toggles, scrolling leaves follow")
    func logs() {
        var state = F.state(width: 80, height: 24)
        let lines = (1...100).map { "line \($0)\($0 % 10 == 0 ? " needle" : "")" }.joined(separator: "\n") + "\n"
        _ = state.update(.message(.logOutput(container: "devenv-demo-dev", bytes: Array(lines.utf8))))
        _ = state.update(.message(.logOutput(container: "someone-else", bytes: Array("x\n".utf8))))
        #expect(state.logs.count == 100)
        _ = state.update(F.key("/"))
        F.type("needle", into: &state)
        _ = state.update(F.key(.enter))
        #expect(state.focus == .logs)
        #expect(state.logView.search == "needle")
        #expect(!state.logView.follow)
        #expect(DashboardFixture.text(state, width: 80, height: 24).contains("line 100 needle")) // the last match
        _ = state.update(F.key("N"))
        #expect(state.logView.topLine == 89)
        _ = state.update(F.key("N"))
        #expect(state.logView.topLine == 79)
        _ = state.update(F.key("n"))
        #expect(state.logView.topLine == 89)
        #expect(DashboardFixture.text(state, width: 80, height: 24).contains("line 90 needle"))
        _ = state.update(F.key("f"))
        #expect(state.logView.follow)
        _ = state.update(F.key(.up))
        #expect(!state.logView.follow)
        _ = state.update(F.key("w"))
        #expect(state.logView.wrap)
        _ = state.update(F.key("G"))
        #expect(state.logView.follow)
    }

    @Test("a mouse click on a row selects it")
    func mouse() {
        var state = F.state(width: 80, height: 24)
        // Row 0 is the header line, 1 the panel's top border, 2 the table header: prod is y 5.
        let effects = F.effects(state.update(.input(.mouse(MouseEvent(button: .left, action: .press, x: 3, y: 5)))))
        #expect(state.selected?.profile == "prod")
        #expect(effects == [.followLogs(container: "devenv-demo-prod", profile: "prod"), ])
    }

    @Test("every key of the keymap reaches its action: no binding is shadowed by another")
    func keymapHasNoShadowedKeys() {
        for binding in DashboardKeymap.bindings {
            let panes: [Pane] = switch binding.context {
            case .anywhere, .environment: Pane.allCases
            case .list: [.environments]
            case .logs: [.logs]
            case .details: [.details]
            case .action: [.action]
            case .picker: []
            }
            for key in binding.keys {
                for pane in panes {
                    let found = DashboardKeymap.binding(for: key, focus: pane)
                    // A pane may give a global key its own meaning (`/` in the logs: the same search).
                    if binding.context == .anywhere || binding.context == .environment,
                       let found, found.context != binding.context, found.context != .anywhere,
                       found.context != .environment {
                        continue
                    }
                    #expect(found?.action == binding.action, "\(key) in \(pane): \(String(describing: found?.action)) instead of \(binding.action)")
                }
                if binding.context == .picker {
                    #expect(DashboardKeymap.binding(for: key, in: .picker)?.action == binding.action, "\(key) in the picker")
                }
            }
        }
    }

    @Test("an edited Dockerfile or configuration (the file watcher) looks again at once, as Ctrl-L does")
    func filesChanged() {
        var state = F.state()
        let commands = state.update(.message(.filesChanged(["Dockerfile"])))
        #expect(F.effects(commands) == [.refresh])
        #expect(state.message == "Dockerfile changed: checking the environments again")
        // Edits in a burst (an editor's save, a git checkout): one more snapshot after this one.
        #expect(F.effects(state.update(.message(.filesChanged(["uv.lock", "devenv.toml"])))).isEmpty)
        var rows = F.rows()
        rows[0].stale = true
        rows[0].staleReason = "the Dockerfile, dependency files or build args changed: `devenv up` rebuilds and recreates"
        #expect(F.effects(state.update(.message(.snapshot(rows)))) == [.refresh])
        #expect(DashboardFixture.text(state, width: 80, height: 24).split(separator: "\n")
            .contains { $0.hasPrefix("│dev ") && $0.contains("running, stale") })
    }

    /// break21: an edit that broke devenv.toml (or the project folder renamed away) left the
    /// status line on "checking the environments again" and said nothing.
    @Test("a configuration that no longer reads is said once in the status line, FILE:LINE:COL first; cleared when it reads again")
    func configurationThatNoLongerReads() {
        var state = F.state()
        _ = state.update(.message(.filesChanged(["devenv.toml"])))
        let report = "devenv: error: devenv.toml:7:6: expected a value\n  hint: fix the configuration\n"
        #expect(F.effects(state.update(.message(.configurationRead(error: report)))).isEmpty)
        #expect(state.message == "devenv.toml:7:6: expected a value (the rows show the configuration last read)")
        #expect(state.messageIsError)
        #expect(DashboardFixture.text(state, width: 120, height: 24).split(separator: "\n").last?
            .contains("devenv.toml:7:6: expected a value") == true)
        // The heartbeat reads it again: the same error does not take the line from another message.
        state.message = "up dev: done in 1.0s (exit 0)"
        state.messageIsError = false
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == "up dev: done in 1.0s (exit 0)")
        // Another error is said; reading again clears it.
        _ = state.update(.message(.configurationRead(error: "devenv: error: no project folder at /p\n")))
        #expect(state.message == "no project folder at /p (the rows show the configuration last read)")
        _ = state.update(.message(.configurationRead(error: nil)))
        #expect(state.message == "the configuration reads again" && !state.messageIsError)
        #expect(state.configurationMessage == nil)
        // Reading fine with nothing said before changes nothing.
        _ = state.update(.message(.configurationRead(error: nil)))
        #expect(state.message == "the configuration reads again")
    }

    /// watch21: a refresh (the heartbeat's, or one already in flight) read the broken edit
    /// before the loop read the watcher's event: the error was said, then `.filesChanged` put
    /// "checking the environments again" over it and the next reading's identical error was
    /// held back as already said, though no longer on the line (a full CI run, loaded).
    @Test("an error read before its edit's file event is said again by the reading after the event")
    func configurationErrorReadBeforeTheFileEvent() {
        var state = F.state()
        let report = "devenv: error: devenv.toml:10:8: expected a value\n"
        let said = "devenv.toml:10:8: expected a value (the rows show the configuration last read)"
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == said)
        _ = state.update(.message(.filesChanged(["devenv.toml"])))
        #expect(state.message == "devenv.toml changed: checking the environments again")
        // The refresh the event asked for reads the same error: the line says it again.
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == said && state.messageIsError)
        // The heartbeat's next reading still leaves another message alone.
        state.message = "up dev: done in 1.0s (exit 0)"
        state.messageIsError = false
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == "up dev: done in 1.0s (exit 0)")
        // Fixed after an event: the line is the event's, nothing claims it read again twice.
        _ = state.update(.message(.filesChanged(["devenv.toml"])))
        _ = state.update(.message(.configurationRead(error: nil)))
        #expect(state.message == "devenv.toml changed: checking the environments again")
        #expect(state.configurationMessage == nil)
    }

    /// break22: "devenv.toml changed: checking the environments again" stayed on the status
    /// line after the check had answered, for as long as nothing else took the line.
    @Test("a file change's 'checking' line says the check's outcome once the snapshot that answers it came")
    func checkingLineAnswered() {
        var state = F.state()
        _ = state.update(.message(.filesChanged(["devenv.toml"])))
        // A second change while the first check runs: that snapshot no longer answers it.
        _ = state.update(.message(.filesChanged(["devenv.toml", "Dockerfile"])))
        let checking = "devenv.toml, Dockerfile changed: checking the environments again"
        #expect(state.message == checking)
        _ = state.update(.message(.configurationRead(error: nil)))
        _ = state.update(.message(.snapshot(F.rows())))
        #expect(state.message == checking, "the snapshot asked before the second change is not its answer")
        _ = state.update(.message(.configurationRead(error: nil)))
        _ = state.update(.message(.snapshot(F.rows())))
        #expect(state.message == "devenv.toml, Dockerfile changed: checked (stale: prod)" && !state.messageIsError)
        // Nothing stale: said so.
        _ = state.update(.message(.filesChanged(["uv.lock"])))
        var rows = F.rows()
        rows[2].stale = false
        _ = state.update(.message(.snapshot(rows)))
        #expect(state.message == "uv.lock changed: checked (nothing stale)")
        // Another message took the line meanwhile: the answer leaves it there.
        _ = state.update(.message(.filesChanged(["uv.lock"])))
        state.message = "logs: paused"
        _ = state.update(.message(.snapshot(rows)))
        #expect(state.message == "logs: paused")
        // A reading that fails says its error, and the snapshot after it leaves the error.
        _ = state.update(.message(.filesChanged(["devenv.toml"])))
        _ = state.update(.message(.configurationRead(error: "devenv: error: devenv.toml:3:1: expected a key\n")))
        _ = state.update(.message(.snapshot(rows)))
        #expect(state.message == "devenv.toml:3:1: expected a key (the rows show the configuration last read)" && state.messageIsError)
    }

    /// break22: Ctrl-L did not say a configuration error again once another message had
    /// taken its line (it was held back as already said).
    @Test("Ctrl-L says a configuration error again that another message had replaced")
    func redrawSaysTheConfigurationErrorAgain() {
        var state = F.state()
        let report = "devenv: error: devenv.toml:10:8: expected a value\n"
        let said = "devenv.toml:10:8: expected a value (the rows show the configuration last read)"
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == said)
        _ = state.update(F.key("d"))
        _ = state.update(F.key("n"))
        #expect(state.message == "down dev: cancelled")
        // The heartbeat's reading leaves the line alone...
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == "down dev: cancelled")
        // ...Ctrl-L's says it again.
        #expect(F.effects(state.update(F.key(.character("l"), .ctrl))) == [.refresh])
        _ = state.update(.message(.configurationRead(error: report)))
        #expect(state.message == said && state.messageIsError)
    }

    @Test("Ctrl-L redraws and looks again (staleness); g/G, Home/End and paging move in the focused pane")
    func redrawAndPaging() {
        var state = F.state()
        let commands = state.update(F.key(.character("l"), .ctrl))
        #expect(commands.contains { if case .redraw = $0 { true } else { false } })
        #expect(F.effects(commands) == [.refresh])
        _ = state.update(F.key("G"))
        #expect(state.selected?.profile == "prod")
        _ = state.update(F.key("g"))
        #expect(state.selected?.profile == "dev")
        // The details pane scrolls when it is focused and longer than it is high.
        state.size = Size(width: 80, height: 24)
        _ = state.update(F.key(.tab))
        #expect(state.focus == .details)
        _ = state.update(F.key(.end))
        let bottom = state.detailsTop
        #expect(bottom > 0)
        _ = state.update(F.key(.down))
        #expect(state.detailsTop == bottom, "it stops at the last line")
        _ = state.update(F.key(.pageUp))
        _ = state.update(F.key("g"))
        #expect(state.detailsTop == 0)
    }

    @Test("n past the last match wraps round to the top and says so; w names the pane it changed")
    func searchWrapsAndMessagesNameThePane() {
        var state = F.state(width: 100, height: 30)
        let lines = (1...40).map { "line \($0)\($0 % 10 == 0 ? " match" : "")\n" }.joined()
        _ = state.update(.message(.logOutput(container: "devenv-demo-dev", bytes: Array(lines.utf8))))
        _ = state.update(F.key("/"))
        F.type("match", into: &state)
        _ = state.update(F.key(.enter))
        #expect(state.message == "/match: line 40")
        _ = state.update(F.key("n"))
        #expect(state.message == "/match: line 10 (search wrapped to the top of the logs)")
        #expect(!state.messageIsError)
        _ = state.update(F.key("n"))
        #expect(state.message == "/match: line 20")
        _ = state.update(F.key("N"))
        _ = state.update(F.key("N"))
        #expect(state.message == "/match: line 40 (search wrapped to the end of the logs)")
        _ = state.update(F.key("/"))
        F.type("absent", into: &state)
        _ = state.update(F.key(.enter))
        #expect(state.message == "/absent: not found in the logs")
        // w in the action pane wraps the action pane, and says so.
        _ = state.update(F.key(.tab))
        #expect(state.focus == .action)
        let wrapped = state.actionWrap
        _ = state.update(F.key("w"))
        #expect(state.actionWrap == !wrapped)
        #expect(state.message?.hasPrefix("action: ") == true, "\(state.message ?? "")")
    }
}

/// The dashboard without an engine, with one that stops answering, and when it comes back
/// (issue 9 section 4): it says so, keeps working, and recovers by itself.
@Suite struct DashboardEngineStateTests {
    typealias F = DashboardFixture

    static func timers(_ commands: [DashboardCommand]) -> [(Int, DashboardMessage)] {
        commands.compactMap { if case .after(let ms, let message) = $0 { (ms, message) } else { nil } }
    }

    /// Started, with the first snapshot still out (its generation returned).
    static func started() -> (DashboardState, Int) {
        var state = DashboardState(project: "demo", root: "/home/ada/demo", environments: F.rows().map {
            EnvironmentRow(profile: $0.profile, container: $0.container, user: $0.user, userSource: $0.userSource,
                           bindMount: $0.bindMount, volumes: $0.volumes)
        })
        state.now = F.now
        let start = state.update(.start(Size(width: 100, height: 30)))
        #expect(F.effects(start) == [.refresh])
        let overdue = timers(start).compactMap { if case .refreshOverdue(let g) = $0.1 { g } else { nil } }
        #expect(timers(start).first?.0 == state.snapshotPatienceMilliseconds)
        return (state, overdue.first ?? -1)
    }

    @Test("a partial snapshot (docker ps answered) draws real states at once; the refresh stays in flight until the full one")
    func partialSnapshotDrawsStatesFirst() {
        var (state, _) = Self.started()
        #expect(state.environments.allSatisfy { state.stateLabel(of: $0) == "…" })
        var partial = F.rows()
        partial[0].imageAge = nil
        partial[0].startedAt = nil
        let drawn = state.update(.message(.partialSnapshot(partial)))
        #expect(state.stateLabel(of: state.environments[0]) == "running")
        #expect(state.stateLabel(of: state.environments[1]) == "not created")
        #expect(state.refreshInFlight)
        // The details are asked for now, first (the loop starts them after this frame), and
        // the streams the first snapshot brings after them.
        #expect(F.effects(drawn) == [.fillDetails, .startEvents(since: 1_800_000_000_000_000_000), .describeEngine,
                                     .followLogs(container: "devenv-demo-dev", profile: "dev"),
                                     .watchStats(containers: ["devenv-demo-dev"])])
        // The full snapshot brings the details and ends the refresh; it asks for none, only
        // the one snapshot that follows the events stream's start (left23).
        #expect(F.effects(state.update(.message(.snapshot(F.rows())))) == [.refresh])
        #expect(state.environments[0].imageAge == "2 hours ago")
        #expect(state.refreshInFlight)
        _ = state.update(.message(.snapshot(F.rows())))
        #expect(!state.refreshInFlight)
        // The next partial snapshot keeps the age it knew for the same image, and asks for the
        // details again (the streams run already).
        #expect(F.effects(state.update(.message(.partialSnapshot(partial)))) == [.fillDetails])
        #expect(state.environments[0].imageAge == "2 hours ago")
    }

    @Test("opened with no engine: every row and the header say so, never `not created`; it retries, waiting longer each time")
    func noEngineAtStart() {
        var (state, _) = Self.started()
        // Before any answer the rows claim nothing either.
        #expect(state.environments.allSatisfy { state.stateLabel(of: $0) == "…" })
        let failed = state.update(.message(.engineUnreachable("devenv: error: no Docker engine answers\n  hint: start one\n")))
        #expect(state.environments.allSatisfy { state.stateLabel(of: $0) == "no engine" })
        #expect(state.message == "no engine: no Docker engine answers" && state.messageIsError)
        #expect(Self.timers(failed).map(\.0) == [2000])
        let screen = state.render(size: Size(width: 100, height: 30)).lines
        #expect(screen[0].contains("no engine"))
        #expect(!screen.joined().contains("not created"), "\(screen.joined(separator: "\n"))")
        // The retry asks for a snapshot; failing again waits twice as long.
        #expect(F.effects(state.update(.message(.retryRefresh))) == [.refresh])
        #expect(Self.timers(state.update(.message(.engineUnreachable("devenv: error: no Docker engine answers\n")))).map(\.0) == [4000])
        // Keys still work meanwhile.
        _ = state.update(F.key("?"))
        #expect(state.overlay == .help)
    }

    @Test("a quiet engine is asked again after the heartbeat: a frozen one, which sends no event, is noticed")
    func heartbeatSnapshot() {
        var (state, _) = Self.started()
        _ = state.update(.message(.snapshot(F.rows())))
        // The one that follows the events stream's start.
        _ = state.update(.message(.snapshot(F.rows())))
        #expect(state.engine == .answering)
        // Within the heartbeat the clock costs no docker call.
        state.now = state.lastRefreshRequestedAt + state.heartbeatSeconds - 1
        #expect(F.effects(state.update(.message(.clock))).isEmpty)
        state.now += 1
        let beat = state.update(.message(.clock))
        #expect(F.effects(beat) == [.refresh])
        let generation = Self.timers(beat).compactMap { if case .refreshOverdue(let g) = $0.1 { g } else { nil } }.first ?? -1
        // The engine froze: that snapshot never comes back, the patience passes.
        _ = state.update(.message(.refreshOverdue(generation)))
        #expect(state.engine == .notAnswering)
        // While a snapshot is out, or the engine is away, the clock asks nothing more.
        state.now += 100
        #expect(F.effects(state.update(.message(.clock))).isEmpty)
    }

    /// mend28: with DEVENV_TIMEOUT=3 a frozen engine was said after 10-13 s: the heartbeat
    /// (15 s) and the patience (10 s) did not follow the query deadline.
    @Test("the heartbeat and the patience keep the query deadline: asked again and given up on within it")
    func heartbeatAndPatienceKeepTheQueryDeadline() {
        var (state, _) = Self.started()
        state.bound(byQueryTimeout: 3)
        _ = state.update(.message(.snapshot(F.rows())))
        _ = state.update(.message(.snapshot(F.rows())))
        state.now = state.lastRefreshRequestedAt + 3
        let beat = state.update(.message(.clock))
        #expect(F.effects(beat) == [.refresh])
        #expect(Self.timers(beat).contains { if case .refreshOverdue = $0.1 { $0.0 == 3000 } else { false } }, "\(Self.timers(beat))")
        // A longer deadline keeps the dashboard's own (15 s, 10 s).
        var (long, _) = Self.started()
        long.bound(byQueryTimeout: 30)
        #expect(long.heartbeatSeconds == 15 && long.snapshotPatienceMilliseconds == 10_000)
    }

    /// review28 (mends 4fe227a): the patience now follows DEVENV_TIMEOUT, which may be a
    /// fraction (0.5, 2.5), and the message gave it in whole seconds: "within 0 s", "within 2 s".
    @Test("a snapshot given up on says the patience as DEVENV_TIMEOUT gave it", arguments: [(1.5, "1.5 s"), (2.5, "2.5 s"), (3, "3 s"), (30, "10 s"), (0.5, "1 s")])
    func overdueSaysThePatienceAsGiven(timeout: Double, said: String) {
        var (state, _) = Self.started()
        state.bound(byQueryTimeout: timeout)
        _ = state.update(.message(.snapshot(F.rows())))
        _ = state.update(.message(.snapshot(F.rows())))
        state.now = state.lastRefreshRequestedAt + state.heartbeatSeconds
        let beat = state.update(.message(.clock))
        let generation = Self.timers(beat).compactMap { if case .refreshOverdue(let g) = $0.1 { g } else { nil } }.first ?? -1
        _ = state.update(.message(.refreshOverdue(generation)))
        #expect(state.message == "engine not answering: no reply to `docker ps` within \(said); retrying", "\(state.message ?? "")")
    }

    /// path29: with DEVENV_TIMEOUT=0.05 an idle dashboard ran ps, volume ls, image ls, events
    /// and info about every 70 ms: a snapshot given up on at 50 ms answered late, counted as the
    /// engine back, and asked again at once. Its own waits go no lower than 1 s.
    @Test("a tiny DEVENV_TIMEOUT does not make the dashboard ask the engine many times a second", arguments: [0.01, 0.05, 0.5])
    func tinyQueryTimeoutHasAFloor(timeout: Double) {
        var (state, _) = Self.started()
        state.bound(byQueryTimeout: timeout)
        #expect(state.heartbeatSeconds == DashboardState.shortestEngineWait && state.snapshotPatienceMilliseconds == 1000)
        _ = state.update(.message(.snapshot(F.rows())))
        _ = state.update(.message(.snapshot(F.rows())))
        let asked = state.lastRefreshRequestedAt
        // Quiet for half a second: nothing asked.
        state.now = asked + 0.5
        #expect(F.effects(state.update(.message(.clock))).isEmpty)
        state.now = asked + 1
        let beat = state.update(.message(.clock))
        #expect(F.effects(beat) == [.refresh])
        #expect(Self.timers(beat).contains { if case .refreshOverdue = $0.1 { $0.0 == 1000 } else { false } }, "\(Self.timers(beat))")
    }

    @Test("a snapshot that hangs: after the patience the engine is `not answering`, and later refreshes are no longer held back")
    func hungSnapshot() {
        var (state, generation) = Self.started()
        _ = state.update(.message(.snapshot(F.rows())))
        // The one that follows the events stream's start.
        _ = state.update(.message(.snapshot(F.rows())))
        // An event asks for a refresh; that docker ps hangs.
        let asked = state.update(.message(.containerEvent(ContainerEvent(action: "die", id: "x", name: "devenv-demo-dev",
                                                                          timeNano: 1_800_000_001_000_000_000))))
        #expect(F.effects(asked).contains(.refresh))
        let hung = Self.timers(asked).compactMap { if case .refreshOverdue(let g) = $0.1 { g } else { nil } }.first ?? -1
        #expect(hung > generation)
        // The first snapshot's deadline passing now changes nothing: that one answered.
        #expect(state.update(.message(.refreshOverdue(generation))).isEmpty)
        #expect(state.engine == .answering)
        // Another event while it hangs: coalesced, as always.
        #expect(F.effects(state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))).isEmpty)
        let overdue = state.update(.message(.refreshOverdue(hung)))
        #expect(state.engine == .notAnswering)
        #expect(state.message?.hasPrefix("engine not answering") == true)
        #expect(state.render(size: Size(width: 100, height: 30)).lines[0].contains("engine not answering"))
        // The rows keep what the engine said last.
        #expect(state.stateLabel(of: state.environments[2]) == "exited (3)")
        #expect(Self.timers(overdue).map(\.0) == [2000])
        // No longer held back: the retry runs a new snapshot although the hung one never returned.
        #expect(F.effects(state.update(.message(.retryRefresh))) == [.refresh])
        // That one's docker ps passes its own deadline (DEVENV_TIMEOUT): still not answering.
        let silent = state.update(.message(.engineSilent("devenv: error: the Docker engine (the default context) did not answer `docker ps` within 30 s\n")))
        #expect(state.engine == .notAnswering && !state.refreshInFlight)
        #expect(state.message == "engine not answering: the Docker engine (the default context) did not answer `docker ps` within 30 s")
        #expect(Self.timers(silent).map(\.0) == [4000])
    }

    @Test("the engine answers again: the stale message clears by itself, the events stream restarts, retries reset")
    func recovery() {
        var (state, _) = Self.started()
        _ = state.update(.message(.engineUnreachable("devenv: error: no Docker engine answers\n")))
        _ = state.update(.message(.eventsEnded("Cannot connect to the Docker daemon")))
        #expect(state.message == "docker events: Cannot connect to the Docker daemon")
        _ = state.update(.message(.retryRefresh))
        let back = state.update(.message(.snapshot(F.rows())))
        #expect(state.engine == .answering)
        #expect(state.message == nil)
        #expect(F.effects(back).contains(.startEvents(since: nil)))
        // Away and back: the engine is described again (it may be another one now).
        #expect(F.effects(back).contains(.describeEngine))
        #expect(state.stateLabel(of: state.environments[0]) == "running")
        #expect(!state.render(size: Size(width: 100, height: 30)).lines[0].contains("engine"))
        #expect(state.refreshRetry.current == 2000)
        // A message the user caused afterwards is not an engine message: it stays.
        _ = state.update(.message(.engineUnreachable("devenv: error: no Docker engine answers\n")))
        _ = state.update(F.key("p"))
        _ = state.update(F.key("j"))
        _ = state.update(F.key(.enter))
        #expect(state.message == "profile ci")
        _ = state.update(.message(.retryRefresh))
        _ = state.update(.message(.snapshot(F.rows())))
        #expect(state.message == "profile ci")
    }

    @Test("a failed snapshot (not the engine's fault) never blocks the next one")
    func failedSnapshot() {
        var (state, _) = Self.started()
        _ = state.update(.message(.snapshot(F.rows())))
        // The one that follows the events stream's start.
        _ = state.update(.message(.snapshot(F.rows())))
        _ = state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))
        _ = state.update(F.key("u"))
        #expect(F.effects(state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))) == [.refresh])
        _ = state.update(F.key("u"))
        #expect(F.effects(state.update(.message(.actionFinished(profile: "dev", status: 0, error: nil)))).isEmpty)
        // The one in flight fails; the one asked meanwhile runs.
        #expect(F.effects(state.update(.message(.snapshotFailed("devenv: error: listing images failed\n")))) == [.refresh])
        #expect(F.effects(state.update(.message(.snapshotFailed("devenv: error: listing images failed\n")))).isEmpty)
        // Nothing in flight now: the next request runs at once.
        #expect(!state.refreshInFlight)
        #expect(F.effects(state.update(.message(.retryRefresh))) == [.refresh])
    }
}
