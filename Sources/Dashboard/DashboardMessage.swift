import DevEnvCore

/// What the loop tells the dashboard: results of the effects it carried out and what the
/// docker streams said.
public enum DashboardMessage: Sendable, Hashable {
    /// A fresh `status` snapshot (every profile).
    case snapshot([EnvironmentRow])
    /// The states of a snapshot still under way (`docker ps` answered; image ages and start
    /// times follow in its `snapshot`): drawn at once, the refresh stays in flight.
    case partialSnapshot([EnvironmentRow])
    case snapshotFailed(String)
    /// The snapshot found no engine (exit 3: no socket, no CLI); the error report in full.
    case engineUnreachable(String)
    /// A docker call of the snapshot passed its deadline (DEVENV_TIMEOUT): the error report.
    case engineSilent(String)
    /// The snapshot of this refresh generation has taken longer than the patience allows.
    case refreshOverdue(Int)
    /// Time for another snapshot while the engine is away.
    case retryRefresh
    /// The header's words for the engine (`EngineFacts.summary`), or nil when the probe got
    /// no answer (the header then says nothing of the engine until it is asked again).
    case engineDescribed(String?)
    case containerEvent(ContainerEvent)
    /// The events stream ended (engine restarted, docker gone); the text says why if known.
    case eventsEnded(String)
    case reconnectEvents
    case logOutput(container: String, bytes: [UInt8])
    case logEnded(container: String)
    case actionOutput(profile: String, text: String)
    /// A running action's progress entered a phase (building, starting), or left it (`other`):
    /// `Progress` says so as it prints the step, so the row need not read its text.
    case actionPhase(profile: String, phase: ActionPhase)
    /// An action ended: docker's exit status (0 ok), the error report in full when it failed.
    case actionFinished(profile: String, status: Int32, error: String?)
    case stats(ContainerStats)
    /// Redraw for the spinner and an action's elapsed time (every 100 ms while one runs).
    case tick
    /// The once-a-second clock: uptimes and image ages are counted from `now`, so a redraw
    /// is all they need (no docker call).
    case clock
    /// Files the environments are made from (configuration, Dockerfile, lock or env file;
    /// as shown, relative to the project) were edited: staleness is checked again.
    case filesChanged([String])
    /// A refresh read the configuration again: nil when it read, else the error report in full
    /// (`FILE:LINE:COL`, or the project folder gone); the rows then keep the configuration last
    /// read.
    case configurationRead(error: String?)
    /// The shell or command the terminal was handed to ended.
    case handOverFinished(DashboardAction, profile: String, status: Int32, error: String?)
}
