import Foundation
import S2SModel
import S2SText

/// Every model on a search path, in search order: what `s2s model list` prints.
package enum ModelCatalog {
    /// One model directory found on the path.
    package struct Listing: Sendable, Equatable {
        package let name: String
        package let directory: String
        package let origin: ModelSearchPath.Origin
        /// The directory whose model of the same name is used instead of this one, if any.
        package let shadowedBy: String?
        /// Source and target language codes from the model's `vocab/pipeline.json`.
        package let languages: (source: String, target: String)?
        /// Bytes of all regular files under the directory (model, vocabulary, checkpoints).
        package let bytes: Int64
        /// Why the languages could not be read (a broken vocabulary shows here, not as a failure
        /// of the whole listing).
        package let problem: String?

        package static func == (a: Listing, b: Listing) -> Bool {
            a.name == b.name && a.directory == b.directory && a.origin == b.origin && a.shadowedBy == b.shadowedBy
                && a.languages?.source == b.languages?.source && a.languages?.target == b.languages?.target
                && a.bytes == b.bytes && a.problem == b.problem
        }
    }

    /// The models of each directory of `path` (names sorted within a directory), directories in
    /// search order; a name seen before is marked shadowed by its first directory.
    package static func list(_ path: ModelSearchPath) -> [Listing] {
        var firstSeen: [String: String] = [:]
        var listings: [Listing] = []
        let files = FileManager.default
        for entry in path.entries {
            let names = ((try? files.contentsOfDirectory(atPath: entry.directory)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                let directory = entry.directory + "/" + name
                guard ModelSearchPath.holdsModel(directory) else { continue }
                let shadowedBy = firstSeen[name]
                if shadowedBy == nil { firstSeen[name] = directory }
                var languages: (String, String)?
                var problem: String?
                do {
                    let config = try PipelineConfig.load(directory: directory + "/" + ModelBundle.vocabularyDirectoryName)
                    languages = (config.source.tokenizer.language, config.target.tokenizer.language)
                } catch {
                    problem = error.description
                }
                listings.append(Listing(name: name, directory: directory, origin: entry.origin, shadowedBy: shadowedBy,
                                        languages: languages, bytes: diskBytes(directory), problem: problem))
            }
        }
        return listings
    }

    /// Sizes of the regular files below `directory`. Symbolic links count as what they point
    /// to (a model assembled from links is as big as what it loads); a directory reached twice
    /// counts once, so a link cycle ends.
    static func diskBytes(_ directory: String) -> Int64 {
        var visited = Set<String>()
        func walk(_ path: String) -> Int64 {
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: real) else { return 0 }
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?:
                return (attributes[.size] as? NSNumber)?.int64Value ?? 0
            case .typeDirectory?:
                guard visited.insert(real).inserted else { return 0 }
                let names = (try? FileManager.default.contentsOfDirectory(atPath: real)) ?? []
                return names.reduce(0) { $0 + walk(real + "/" + $1) }
            default:
                return 0
            }
        }
        return walk(directory)
    }
}
