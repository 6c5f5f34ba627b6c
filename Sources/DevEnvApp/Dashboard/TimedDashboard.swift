import Dashboard
import TerminalUI

/// The dashboard with the wall clock read before each update, so the state itself stays a
/// pure value (tests set `now` by hand).
struct TimedDashboard: Program {
    var state: DashboardState
    let clock: () -> Double

    mutating func update(_ event: ProgramEvent<DashboardMessage>) -> [ProgramCommand<DashboardMessage, DashboardEffect>] {
        state.now = clock()
        return state.update(event)
    }

    func view(into screen: inout Screen) {
        state.view(into: &screen)
    }
}
