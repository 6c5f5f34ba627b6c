/// What a command's action is doing now, as its progress says (`Progress.step(_:phase:)`): the
/// dashboard shows it on the action's row (`DashboardMessage.actionPhase`). Declared here, where
/// both the progress (DevEnvApp) and the dashboard read it, so neither imports the other.
public enum ActionPhase: Hashable, Sendable { case building, starting, other }
