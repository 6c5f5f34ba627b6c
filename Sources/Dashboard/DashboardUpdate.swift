import DevEnvCore
import TerminalUI

public typealias DashboardCommand = ProgramCommand<DashboardMessage, DashboardEffect>

extension DashboardState: Program {
    public typealias Message = DashboardMessage
    public typealias Effect = DashboardEffect

    /// Rows the logs pane shows (for paging); the view uses the same layout.
    var logRows: Int { max(1, DashboardLayout(size: size, environmentCount: environments.count).logs.height - 2) }

    public mutating func update(_ event: ProgramEvent<DashboardMessage>) -> [DashboardCommand] {
        switch event {
        case .start(let size):
            self.size = size
            // The snapshot first, alone; the events stream follows it from this moment on
            // (`eventsFrom`), so whatever happens between the two calls is still seen; from
            // earlier when its `docker ps` was started before the loop (set by the loop).
            eventsFrom = min(eventsFrom ?? now, now)
            return requestRefresh() + [.after(milliseconds: 1000, .clock)]
        case .resize(let size):
            self.size = size
            return []
        case .resumed:
            return [.redraw]
        case .input(let input):
            return handle(input)
        case .message(let message):
            return handle(message)
        }
    }

    // MARK: Messages

    mutating func handle(_ message: DashboardMessage) -> [DashboardCommand] {
        switch message {
        case .partialSnapshot(let rows):
            adopt(rows, partial: true)
            // `docker ps` answered: the engine is there. The details first: they complete the
            // refresh (`.snapshot`).
            return [.effect(.fillDetails)] + startEventsAfterFirstSnapshot(reconcile: true) + selectionEffects().compactMap { $0 } + engineAnswered()
        case .snapshot(let rows):
            adopt(rows)
            refreshInFlight = false
            answerChecking()
            var commands = startEventsAfterFirstSnapshot(reconcile: true) + selectionEffects().compactMap { $0 } + engineAnswered()
            if refreshAgain {
                refreshAgain = false
                commands += requestRefresh()
            }
            return commands
        case .snapshotFailed(let text):
            refreshInFlight = false
            loaded = true
            setError(text)
            answerChecking()
            let events = startEventsAfterFirstSnapshot()
            if refreshAgain {
                refreshAgain = false
                return events + requestRefresh()
            }
            return events
        case .engineUnreachable(let text):
            refreshInFlight = false
            refreshAgain = false
            loaded = true
            engine = .absent(Self.headline(text))
            setEngineError("no engine: \(Self.headline(text))")
            return startEventsAfterFirstSnapshot() + retryLater()
        case .engineSilent(let text):
            refreshInFlight = false
            refreshAgain = false
            loaded = true
            engine = .notAnswering
            setEngineError("engine not answering: \(Self.headline(text))")
            return startEventsAfterFirstSnapshot() + retryLater()
        case .refreshOverdue(let generation):
            // A later snapshot was asked for meanwhile, or this one answered: nothing to do.
            guard refreshInFlight, generation == refreshGeneration else { return [] }
            // Given up on, not forgotten: if it answers after all, its rows are taken. Later
            // refreshes are no longer held back by it.
            refreshInFlight = false
            refreshAgain = false
            engine = .notAnswering
            // In DEVENV_TIMEOUT's own terms: the patience keeps it (`bound(byQueryTimeout:)`), and
            // whole seconds said 0 s of 0.5 and 2 s of 2.5.
            let patience = QueryTimeout.display(Double(snapshotPatienceMilliseconds) / 1000)
            setEngineError("engine not answering: no reply to `docker ps` within \(patience); retrying")
            return startEventsAfterFirstSnapshot() + retryLater()
        case .retryRefresh:
            return requestRefresh()
        case .engineDescribed(let text):
            if let text { engineDescription = text }
            return []
        case .containerEvent(let event):
            return apply(event)
        case .eventsEnded(let text):
            if !text.isEmpty { setEngineError("docker events: \(text)") }
            return [.after(milliseconds: reconnectDelay.take(), .reconnectEvents)]
        case .reconnectEvents:
            return reconciledEvents(since: lastEventNano)
        case .logOutput(let container, let bytes):
            guard container == followedContainer else { return [] }
            logs.append(bytes: bytes)
            return []
        case .logEnded(let container):
            guard container == followedContainer else { return [] }
            logs.flush()
            logStreaming = false
            return []
        case .actionOutput(let profile, let text):
            actions[profile]?.append(text)
            return []
        case .actionPhase(let profile, let phase):
            // Only while it runs: a late one must not outlive `actionFinished`'s reset.
            if actions[profile]?.isRunning == true { actions[profile]?.phase = phase }
            return []
        case .actionFinished(let profile, let status, let error):
            guard var run = actions[profile] else { return [] }
            if let error { run.append(error.hasSuffix("\n") ? error : error + "\n") }
            run.status = status
            run.finishedAt = now
            run.phase = .other
            actions[profile] = run
            let elapsed = Self.seconds(now - run.startedAt)
            if status == 0 {
                setMessage("\(run.action.title) \(profile): done in \(elapsed) (exit 0)")
            } else {
                let first = error.map(Self.headline) ?? "exit \(status)"
                setError("\(run.action.title) \(profile) failed (exit \(status)): \(first)")
            }
            return requestRefresh()
        case .stats(let stats):
            guard statsContainers.contains(stats.name) else { return [] }
            lastStats[stats.name] = stats
            cpuHistory[stats.name, default: []].append(stats.cpuPercent)
            memoryHistory[stats.name, default: []].append(stats.memoryPercent)
            if let count = cpuHistory[stats.name]?.count, count > 120 { cpuHistory[stats.name]?.removeFirst(count - 120) }
            if let count = memoryHistory[stats.name]?.count, count > 120 { memoryHistory[stats.name]?.removeFirst(count - 120) }
            return []
        case .filesChanged(let files):
            // As Ctrl-L would: the snapshot reads the configuration again and compares each
            // container's fingerprint with what the files now make.
            let named = files.joined(separator: ", ")
            let text = "\(named) changed: checking the environments again"
            setMessage(text)
            // What was said of the configuration is no longer on the line: the next reading's
            // verdict is said, even an error said before. A refresh (the heartbeat's, or one in
            // flight) can read an edit before the loop reads the watcher's event for it: its
            // error was said, this line went over it, and the reading this asks for was held
            // back as already said (seen in a full CI run, load 15 on 2 cores).
            configurationMessage = nil
            // The snapshot asked now answers it; with one in flight (asked before this
            // change), the one after it.
            let wasInFlight = refreshInFlight
            let commands = requestRefresh()
            checking = (text, named, wasInFlight ? refreshGeneration + 1 : refreshGeneration)
            return commands
        case .configurationRead(let error):
            let sayAgain = sayConfigurationAgain
            sayConfigurationAgain = false
            guard let error else {
                if let shown = configurationMessage {
                    if self.message == shown { setMessage("the configuration reads again") }
                    configurationMessage = nil
                }
                return []
            }
            // An edit that broke it (or the project folder renamed away) was silent: the status
            // line kept "checking the environments again" and the rows the old configuration.
            // Said once per error and per file change (`.filesChanged` forgets it): the
            // heartbeat's re-reads do not take the line from others.
            let text = Self.headline(error) + " (the rows show the configuration last read)"
            if text != configurationMessage || sayAgain {
                setError(text)
                configurationMessage = text
            }
            return []
        case .clock:
            // Nothing changes but `now`, which the loop set: the redraw after it ages the rows.
            // A quiet while is also when a frozen engine would go unnoticed: ask it.
            if !refreshInFlight, engine == .answering, now - lastRefreshRequestedAt >= heartbeatSeconds {
                return requestRefresh() + [.after(milliseconds: 1000, .clock)]
            }
            return [.after(milliseconds: 1000, .clock)]
        case .tick:
            spinner.advance()
            if anyActionRunning { return [.after(milliseconds: 100, .tick)] }
            ticking = false
            return []
        case .handOverFinished(let action, let profile, let status, let error):
            if let error {
                // In full in the action pane (hint, docker's stderr), one line in the status bar.
                if actions[profile]?.isRunning != true {
                    var run = ActionRun(action: action, profile: profile, startedAt: now)
                    run.append(error.hasSuffix("\n") ? error : error + "\n")
                    run.status = status
                    run.finishedAt = now
                    actions[profile] = run
                    lastActionProfile = profile
                }
                setError("\(action.title) \(profile): \(Self.headline(error))")
            } else {
                setMessage("\(profile): the command ended with exit \(status)")
            }
            // Streams may have seen the child's Ctrl-C: start them afresh.
            followedContainer = nil
            statsContainers = []
            return [.redraw] + selectionEffects().compactMap { $0 } + requestRefresh()
        }
    }

    /// The snapshot that ends a file change's check answered (or failed): "checking the
    /// environments again" gives way to what the check found, when it is still on the line
    /// (an error, a reading that failed, or any later message stays).
    mutating func answerChecking() {
        guard let check = checking, refreshGeneration >= check.generation else { return }
        checking = nil
        guard message == check.text else { return }
        let stale = environments.filter(\.stale).map { row in row.service.map { "\(row.profile)/\($0)" } ?? row.profile }
        setMessage("\(check.files) changed: checked (\(stale.isEmpty ? "nothing stale" : "stale: " + stale.joined(separator: ", ")))")
    }

    /// The first line of an error report, without the "devenv: error: " every report starts with.
    static func headline(_ report: String) -> String {
        let first = String(report.split(separator: "\n").first ?? "")
        return first.hasPrefix("devenv: error: ") ? String(first.dropFirst("devenv: error: ".count)) : first
    }

    /// Takes a snapshot's rows, keeping the selection and the start times events told, and the
    /// state of each container an event changed after this refresh was asked (`changedByEvents`).
    /// A partial snapshot has no image ages yet: the known age of the same image stays.
    mutating func adopt(_ rows: [EnvironmentRow], partial: Bool = false) {
        let selectedProfile = selected?.profile
        let selectedService = selected?.service
        // Start times seen in events are finer than docker's "Up 5 minutes": keep them.
        var started: [String: Double] = [:]
        var ages: [String: (text: String?, created: Double?)] = [:]
        for row in environments {
            if let t = row.startedAt { started[row.container] = t }
            if let image = row.image { ages[image] = (row.imageAge, row.imageCreated) }
        }
        let current = Dictionary(environments.map { ($0.container, $0) }, uniquingKeysWith: { first, _ in first })
        environments = rows.map { row in
            var row = row
            if changedByEvents.contains(row.container), let known = current[row.container] {
                row.dockerState = known.dockerState
                row.exitCode = known.exitCode
                row.health = known.health
                row.startedAt = known.startedAt
            }
            if row.isRunning, let t = started[row.container] { row.startedAt = t }
            if partial, row.imageAge == nil, row.imageCreated == nil, let image = row.image, let known = ages[image] {
                row.imageAge = known.text
                row.imageCreated = known.created
            }
            return row
        }
        if let selectedProfile,
           let index = environments.firstIndex(where: { $0.profile == selectedProfile && $0.service == selectedService }) {
            table.selected = index
        } else if !environments.isEmpty {
            table.selected = min(max(0, table.selected ?? 0), environments.count - 1)
        }
        loaded = true
    }

    /// The events stream, once the first snapshot answered (or failed, or was given up on),
    /// from the moment before it was asked for (`eventsFrom`); nothing after that.
    /// `reconcile`: the snapshot answered, so one more follows the stream's start
    /// (`reconciledEvents`); after a failed one the retry (`retryLater`) is that snapshot.
    mutating func startEventsAfterFirstSnapshot(reconcile: Bool = false) -> [DashboardCommand] {
        guard let from = eventsFrom else { return [] }
        eventsFrom = nil
        // A clock that says nothing (before 1970) cannot bound the replay: from now, as before.
        // The engine is described now too, not beside the first `docker ps` (issue 14).
        let since: Int64? = from > 0 ? Int64(from * 1_000_000_000) : nil
        return reconcile ? reconciledEvents(since: since) + [.effect(.describeEngine)]
            : [.effect(.startEvents(since: since)), .effect(.describeEngine)]
    }

    /// The events stream from `since`, then one snapshot (after the one in flight, if any).
    /// Why: `--since` replays at most the engine's last 256 events (Docker keeps no more, of
    /// every kind and project: health checks' exec events fill it fast on a busy engine), so a
    /// container that stopped between the snapshot and the stream's start may be in no replay;
    /// a snapshot asked once the stream runs shows it, and every change after it reaches the
    /// stream (left23: the row said running for good). Every start of the stream after the
    /// engine answered goes through here.
    mutating func reconciledEvents(since: Int64?) -> [DashboardCommand] {
        [.effect(.startEvents(since: since))] + requestRefresh()
    }

    /// One snapshot at a time; asked again while one runs, it runs once more after it. Each
    /// has a deadline (`snapshotPatienceMilliseconds`), so a hung one never blocks the next.
    mutating func requestRefresh() -> [DashboardCommand] {
        if refreshInFlight { refreshAgain = true; return [] }
        refreshInFlight = true
        refreshGeneration += 1
        // Asked after every event seen so far: its answer is the newer word on each row.
        changedByEvents = []
        lastRefreshRequestedAt = now
        return [.effect(.refresh), .after(milliseconds: snapshotPatienceMilliseconds, .refreshOverdue(refreshGeneration))]
    }

    /// The next snapshot while the engine is away, each wait twice the last, up to 30 s.
    mutating func retryLater() -> [DashboardCommand] {
        [.after(milliseconds: refreshRetry.take(), .retryRefresh)]
    }

    /// A snapshot came back: the engine answers. What was said about it being away goes.
    mutating func engineAnswered() -> [DashboardCommand] {
        let wasAway = engine.problem != nil
        engine = .answering
        engineEverAnswered = true
        refreshRetry.reset()
        if let shown = engineMessage, message == shown { message = nil; messageIsError = false }
        engineMessage = nil
        // The events stream may be waiting out a long reconnect delay: start it now.
        guard wasAway else { return [] }
        reconnectDelay.reset()
        // It may be another engine now (restarted rootless, another context): describe it again.
        return reconciledEvents(since: lastEventNano) + [.effect(.describeEngine)]
    }

    /// An error about the engine on the bottom line, cleared when the engine answers again.
    mutating func setEngineError(_ text: String) {
        setError(text)
        engineMessage = text
    }

    mutating func apply(_ event: ContainerEvent) -> [DashboardCommand] {
        reconnectDelay.reset()
        if event.isExec { return [] }
        // An event without a time (0) must not move a reconnect's `--since` to the epoch.
        if event.timeNano > 0 { lastEventNano = max(lastEventNano ?? 0, event.timeNano) }
        // By name only: `devenv test` runs one-off containers with the ci labels, which are not
        // the ci environment's container.
        guard let index = environments.firstIndex(where: {
            $0.container == event.name || (!event.name.isEmpty && $0.container == "/" + event.name)
        }) else {
            return []
        }
        var row = environments[index]
        switch event.action {
        case "create": row.dockerState = "created"; row.exitCode = nil
        case "start", "restart", "unpause":
            row.dockerState = "running"
            row.exitCode = nil
            if event.action != "unpause" { row.startedAt = event.time; row.health = "none" }
        case "die":
            row.dockerState = "exited"
            row.exitCode = event.exitCode
            row.startedAt = nil
        case "pause": row.dockerState = "paused"
        case "destroy":
            row.dockerState = nil
            row.exitCode = nil
            row.startedAt = nil
            row.stale = false
            row.staleReason = nil
        case "health_status":
            if let detail = event.detail { row.health = detail }
        default:
            return []
        }
        environments[index] = row
        changedByEvents.insert(row.container)
        var commands: [DashboardCommand] = []
        if index == selectedIndex { commands += selectionEffects(restartLogs: event.action == "start").compactMap { $0 } }
        return commands + requestRefresh()
    }

    /// The streams the screen needs: the selected container's log, the running ones' stats.
    mutating func selectionEffects(restartLogs: Bool = false) -> [DashboardCommand?] {
        var commands: [DashboardCommand?] = []
        let row = selected
        let wantLog = row?.exists == true ? row?.container : nil
        if wantLog != followedContainer || (restartLogs && !logStreaming && wantLog != nil) {
            followedContainer = wantLog
            logs = LogBuffer(capacity: logs.capacity)
            searchMatch = nil
            logView = LogViewState(follow: true, wrap: logView.wrap)
            logStreaming = wantLog != nil
            commands.append(.effect(.followLogs(container: wantLog, profile: wantLog == nil ? nil : row?.profile)))
        }
        // Stats of every running container, in one stream; restarted only when the set changes.
        let wantStats = environments.filter(\.isRunning).map(\.container).sorted()
        if wantStats != statsContainers {
            statsContainers = wantStats
            let keep = Set(wantStats)
            cpuHistory = cpuHistory.filter { keep.contains($0.key) }
            memoryHistory = memoryHistory.filter { keep.contains($0.key) }
            lastStats = lastStats.filter { keep.contains($0.key) }
            commands.append(.effect(.watchStats(containers: wantStats)))
        }
        return commands
    }

    mutating func setMessage(_ text: String) {
        message = text
        messageIsError = false
    }

    mutating func setError(_ text: String) {
        message = text
        messageIsError = true
    }

    static func seconds(_ value: Double) -> String {
        let tenths = Int((max(0, value) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)s"
    }

    // MARK: Input

    mutating func handle(_ input: InputEvent) -> [DashboardCommand] {
        switch input {
        case .key(let key):
            if overlay != nil { return handleOverlay(key) }
            return handleKey(key)
        case .paste(let text):
            if overlay != nil { return typeText(text) }
            return []
        case .mouse(let mouse):
            return handleMouse(mouse)
        default:
            return []
        }
    }

    mutating func typeText(_ text: String) -> [DashboardCommand] {
        let clean = text.filter { !$0.isNewline && $0 != "\t" }
        switch overlay {
        case .confirmDownVolumes(let profile, let typed): overlay = .confirmDownVolumes(profile: profile, typed: typed + clean)
        case .execPrompt(let profile, let line): overlay = .execPrompt(profile: profile, text: line + clean)
        case .search(let line): overlay = .search(text: line + clean)
        default: break
        }
        return []
    }

    mutating func handleOverlay(_ key: KeyEvent) -> [DashboardCommand] {
        guard let current = overlay else { return [] }
        let isCtrlC = key == KeyEvent.char("c", .ctrl)
        switch current {
        case .help:
            // Arrows and paging scroll a list longer than the terminal; any other key closes it.
            switch key.key {
            case .up, .character("k"): helpTop = max(0, helpTop - 1)
            case .down, .character("j"): helpTop = min(max(0, DashboardKeymap.helpLines.count - 1), helpTop + 1)
            case .pageUp: helpTop = max(0, helpTop - max(1, size.height - 8))
            case .pageDown: helpTop = min(max(0, DashboardKeymap.helpLines.count - 1), helpTop + max(1, size.height - 8))
            default: overlay = nil
            }
            return []
        case .pickProfile(let highlighted):
            return pick(key, highlighted: highlighted)
        case .confirmQuit:
            overlay = nil
            if key.key == .character("y") || key.key == .character("q") || isCtrlC { return [.quit] }
            return []
        case .confirmDown(let profile):
            overlay = nil
            if key.key == .character("y") { return startAction(.down(volumes: false), profile: profile) }
            setMessage("down \(profile): cancelled")
            return []
        case .confirmDownVolumes(_, let typed), .execPrompt(_, let typed), .search(let typed):
            if key.key == .escape || isCtrlC {
                overlay = nil
                return []
            }
            if key.key == .backspace {
                var text = typed
                if !text.isEmpty { text.removeLast() }
                return replaceTyped(text)
            }
            if key.key == .enter { return submit(current, typed) }
            if case .character(let c) = key.key, key.modifiers.isDisjoint(with: [.ctrl, .alt, .meta]) {
                return typeText(String(c))
            }
            return []
        }
    }

    /// A key while the profile picker is open, through the keymap's picker context: arrows
    /// move the highlight, Enter selects that profile (its log and details follow), Esc
    /// closes it as it was; other keys do nothing.
    mutating func pick(_ key: KeyEvent, highlighted: Int) -> [DashboardCommand] {
        let rows = pickerRows
        guard let binding = DashboardKeymap.binding(for: key, in: .picker), !rows.isEmpty else { return [] }
        let last = rows.count - 1
        switch binding.action {
        case .moveUp: overlay = .pickProfile(highlighted: max(0, min(last, highlighted) - 1))
        case .moveDown: overlay = .pickProfile(highlighted: min(last, highlighted + 1))
        case .top: overlay = .pickProfile(highlighted: 0)
        case .bottom: overlay = .pickProfile(highlighted: last)
        case .choose:
            overlay = nil
            table.selected = rows[min(last, max(0, highlighted))]
            detailsTop = 0
            setMessage("profile \(selected?.profile ?? "")")
            return selectionEffects().compactMap { $0 }
        default:
            overlay = nil
        }
        return []
    }

    /// The picker's rows: the environments' own, not their services' (indexes into
    /// `environments`, in list order).
    var pickerRows: [Int] { environments.indices.filter { environments[$0].service == nil } }

    mutating func replaceTyped(_ text: String) -> [DashboardCommand] {
        switch overlay {
        case .confirmDownVolumes(let profile, _): overlay = .confirmDownVolumes(profile: profile, typed: text)
        case .execPrompt(let profile, _): overlay = .execPrompt(profile: profile, text: text)
        case .search: overlay = .search(text: text)
        default: break
        }
        return []
    }

    mutating func submit(_ overlay: Overlay, _ typed: String) -> [DashboardCommand] {
        self.overlay = nil
        switch overlay {
        case .confirmDownVolumes(let profile, _):
            guard typed == profile else {
                setMessage("\(DashboardAction.downEverything.title) \(profile): cancelled (the name did not match)")
                return []
            }
            return startAction(.downEverything, profile: profile)
        case .execPrompt(let profile, _):
            guard !typed.trimmingSpaces.isEmpty else { return [] }
            return startAction(.exec(typed), profile: profile)
        case .search:
            logView.search = typed.isEmpty ? nil : typed
            searchMatch = nil
            if !typed.isEmpty { findNext(forward: false, fromEnd: true) }
            return []
        default:
            return []
        }
    }

    mutating func findNext(forward: Bool, fromEnd: Bool = false) {
        guard let term = logView.search, !term.isEmpty else {
            setMessage("no search: / searches the log")
            return
        }
        let rows = logRows
        let top = logView.follow ? max(logs.firstLineNumber, logs.totalAppended - rows) : logView.topLine
        let from = searchMatch ?? top
        let start = fromEnd ? logs.totalAppended - 1 : (forward ? from + 1 : from - 1)
        // Past the last match, n goes round to the top (N to the end), as less and vim do.
        let inRange = start >= logs.firstLineNumber && start < logs.totalAppended
        if inRange, let line = logs.find(term, from: start, forward: forward) {
            logView.reveal(line: line, buffer: logs, visibleRows: rows)
            searchMatch = line
            setMessage("/\(term): line \(line + 1)")
        } else if let line = logs.find(term, from: forward ? logs.firstLineNumber : logs.totalAppended - 1, forward: forward) {
            logView.reveal(line: line, buffer: logs, visibleRows: rows)
            searchMatch = line
            setMessage("/\(term): line \(line + 1) (search wrapped to the \(forward ? "top" : "end") of the logs)")
        } else {
            setError("/\(term): not found in the logs")
        }
    }

    /// Every key goes through the keymap (DashboardKeymap.swift): what is not there does nothing.
    mutating func handleKey(_ key: KeyEvent) -> [DashboardCommand] {
        guard let binding = DashboardKeymap.binding(for: key, focus: focus) else { return [] }
        return perform(binding.action)
    }

    mutating func perform(_ action: KeyBinding.Action) -> [DashboardCommand] {
        let profile = selected?.profile
        switch action {
        case .quit:
            if anyActionRunning {
                overlay = .confirmQuit
                return []
            }
            return [.quit]
        case .redraw:
            // Ctrl-L also looks again: a Dockerfile edited since shows as stale, and a
            // configuration that still does not read is said again, whatever took its line.
            sayConfigurationAgain = true
            return [.redraw] + requestRefresh()
        case .suspend:
            // The event loop suspends on Ctrl-Z before the key reaches the update.
            return []
        case .help:
            overlay = .help
            helpTop = 0
            return []
        case .nextPane: focus = focus.next; return []
        case .previousPane: focus = focus.previous; return []
        case .backToList: focus = .environments; return []
        case .moveUp: return navigate(KeyEvent(.up))
        case .moveDown: return navigate(KeyEvent(.down))
        case .pageUp: return navigate(KeyEvent(.pageUp))
        case .pageDown: return navigate(KeyEvent(.pageDown))
        case .top: return navigate(KeyEvent(.home))
        case .bottom: return navigate(KeyEvent(.end))
        case .focusLogs: focus = .logs; return []
        case .pickProfile:
            guard !environments.isEmpty else { return [] }
            // On the selected environment (a service row: the environment it belongs to).
            let rows = pickerRows
            let current = selected?.profile
            overlay = .pickProfile(highlighted: rows.firstIndex { environments[$0].profile == current } ?? 0)
            return []
        case .choose, .cancel:
            // The picker's own keys: handled in `pick` while it is open.
            return []
        case .up: return profile.map { startAction(.up, profile: $0) } ?? []
        case .restart: return profile.map { startAction(.restart, profile: $0) } ?? []
        case .build: return profile.map { startAction(.build, profile: $0) } ?? []
        case .syncDeps: return profile.map { startAction(.syncDeps, profile: $0) } ?? []
        case .cleanCache: return profile.map { startAction(.cleanCache, profile: $0) } ?? []
        case .shell: return profile.map { startAction(.shell, profile: $0) } ?? []
        case .down:
            guard let row = selected else { return [] }
            guard refuseIfBusy(row.profile, .down(volumes: false)) == nil else { return [] }
            overlay = .confirmDown(profile: row.profile)
            return []
        case .downVolumes:
            guard let row = selected else { return [] }
            guard refuseIfBusy(row.profile, .downEverything) == nil else { return [] }
            overlay = .confirmDownVolumes(profile: row.profile, typed: "")
            return []
        case .exec:
            guard let row = selected else { return [] }
            overlay = .execPrompt(profile: row.profile, text: "")
            return []
        case .search:
            focus = .logs
            overlay = .search(text: "")
            return []
        case .findNext: findNext(forward: true); return []
        case .findPrevious: findNext(forward: false); return []
        case .toggleFollow:
            logView.follow.toggle()
            if !logView.follow { logView.scroll(by: 0, buffer: logs, visibleRows: logRows); logView.follow = false }
            setMessage(logView.follow ? "logs: following" : "logs: paused")
            return []
        case .toggleWrap:
            // The message names the pane whose wrapping changed.
            let wrap: Bool
            if focus == .action {
                actionWrap.toggle()
                wrap = actionWrap
            } else {
                logView.wrap.toggle()
                wrap = logView.wrap
            }
            setMessage("\(focus.title): " + (wrap ? "wrapping long lines" : "long lines cut"))
            return []
        }
    }

    /// Arrows and paging in the focused pane.
    mutating func navigate(_ key: KeyEvent) -> [DashboardCommand] {
        let rows = logRows
        switch focus {
        case .environments:
            let delta: Int
            switch key.key {
            case .up: delta = -1
            case .down: delta = 1
            case .home: delta = -environments.count
            case .end: delta = environments.count
            default: return []
            }
            table.moveSelection(by: delta, rowCount: environments.count)
            return selectionEffects().compactMap { $0 }
        case .logs:
            switch key.key {
            case .up: logView.scroll(by: -1, buffer: logs, visibleRows: rows)
            case .down: logView.scroll(by: 1, buffer: logs, visibleRows: rows)
            case .pageUp: logView.scroll(by: -rows, buffer: logs, visibleRows: rows)
            case .pageDown: logView.scroll(by: rows, buffer: logs, visibleRows: rows)
            case .home: logView.scrollToTop(buffer: logs)
            case .end: logView.follow = true
            default: break
            }
            return []
        case .action:
            guard let profile = shownAction?.profile, var run = actions[profile] else { return [] }
            // The pane's inner height, as the view renders it (border top and bottom).
            let actionRows = max(1, DashboardLayout(size: size, environmentCount: environments.count).action.height - 2)
            switch key.key {
            case .up: run.view.scroll(by: -1, buffer: run.output, visibleRows: actionRows)
            case .down: run.view.scroll(by: 1, buffer: run.output, visibleRows: actionRows)
            case .pageUp: run.view.scroll(by: -actionRows, buffer: run.output, visibleRows: actionRows)
            case .pageDown: run.view.scroll(by: actionRows, buffer: run.output, visibleRows: actionRows)
            case .home: run.view.scrollToTop(buffer: run.output)
            case .end: run.view.follow = true
            default: break
            }
            actions[profile] = run
            return []
        case .details:
            let area = DashboardLayout(size: size, environmentCount: environments.count).details
            let rows = max(1, area.height - 2)
            let bottom = max(0, detailLines(width: max(1, area.width - 2)).count - rows)
            switch key.key {
            case .up: detailsTop -= 1
            case .down: detailsTop += 1
            case .pageUp: detailsTop -= rows
            case .pageDown: detailsTop += rows
            case .home: detailsTop = 0
            case .end: detailsTop = bottom
            default: break
            }
            detailsTop = min(max(0, detailsTop), bottom)
            return []
        }
    }

    func refuseIfBusy(_ profile: String, _ action: DashboardAction) -> String? {
        guard let run = actions[profile], run.isRunning else { return nil }
        return "\(action.title) \(profile): refused, \(run.action.title) is still running on \(profile)"
    }

    /// One action per environment at a time: a second one is refused with a message, never
    /// queued or run twice.
    mutating func startAction(_ action: DashboardAction, profile: String) -> [DashboardCommand] {
        if let refusal = refuseIfBusy(profile, action) {
            setError(refusal)
            return []
        }
        if action.needsTerminal {
            setMessage("\(action.title) \(profile)")
            return [.effect(.handOver(action, profile: profile))]
        }
        actions[profile] = ActionRun(action: action, profile: profile, startedAt: now)
        lastActionProfile = profile
        setMessage("\(action.title) \(profile): started")
        var commands: [DashboardCommand] = [.effect(.run(action, profile: profile))]
        if !ticking {
            ticking = true
            commands.append(.after(milliseconds: 100, .tick))
        }
        return commands
    }

    mutating func handleMouse(_ mouse: MouseEvent) -> [DashboardCommand] {
        guard mouse.button == .left, mouse.action == .press else {
            if mouse.button == .wheelUp || mouse.button == .wheelDown {
                let delta = mouse.button == .wheelUp ? -3 : 3
                logView.scroll(by: delta, buffer: logs, visibleRows: logRows)
            }
            return []
        }
        let layout = DashboardLayout(size: size, environmentCount: environments.count)
        func inside(_ r: Rect) -> Bool { mouse.x >= r.x && mouse.x < r.maxX && mouse.y >= r.y && mouse.y < r.maxY }
        if inside(layout.environments) {
            focus = .environments
            // Border, then the header row, then the rows.
            let row = mouse.y - layout.environments.y - 2
            let top = table.effectiveOffset(visibleRows: max(0, layout.environments.height - 3), rowCount: environments.count)
            if row >= 0, top + row < environments.count {
                table.selected = top + row
                return selectionEffects().compactMap { $0 }
            }
        } else if inside(layout.details) {
            focus = .details
        } else if inside(layout.logs) {
            focus = .logs
        } else if inside(layout.action) {
            focus = .action
        }
        return []
    }
}
