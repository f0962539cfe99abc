import Foundation
import PackagePlugin

/// Records the git commit the `s2s` binary is built from, for `s2s --version`.
///
/// A prebuild command runs on every build (a build command would run only when its declared
/// inputs change, and HEAD is not a file SwiftPM watches). It writes `BuildCommit.swift` into
/// the plugin's work directory, never into the source tree, so nothing generated is committed,
/// and rewrites it only when the commit changes, so an unchanged tree recompiles nothing. Outside
/// a git checkout (a source tarball) or without git the commit is "unknown" and the build still
/// succeeds: a plain `swift build` of a clean clone needs no other step.
@main
struct BuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let script = """
            root=$1; dir=$2; out="$dir/BuildCommit.swift"
            mkdir -p "$dir" || exit 1
            commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
            if [ "$commit" != unknown ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
              commit="$commit-dirty"
            fi
            printf '// Written at build time by the BuildCommit plugin (Plugins/BuildCommit).\\n' > "$out.tmp"
            printf 'let buildCommit = "%s"\\n' "$commit" >> "$out.tmp"
            if cmp -s "$out.tmp" "$out"; then rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
            """
        return [.prebuildCommand(
            displayName: "Recording the git commit for s2s --version",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", script, "sh", context.package.directoryURL.path, outputDirectory.path],
            outputFilesDirectory: outputDirectory)]
    }
}
