import S2SBundle
import S2SModel

/// The model directory for a command's `--model` argument, through the model search path
/// (`ModelSearchPath`): nil → the model named `default`, a name → its first location, a path →
/// itself. Every command that takes a model goes through here, so they all find the same one.
func resolveModel(_ argument: String?, command: String) throws -> String {
    do {
        return try ModelSearchPath.current().resolve(argument)
    } catch {
        throw CommandFailure(command, error.description)
    }
}
