import Foundation
import Messages

/// The language of the CLI's texts (issue #16, item 5): `--lang` when the
/// command has it, else `ANNUAIRE_LANG`, `LC_ALL`, `LC_MESSAGES`, `LANG`;
/// French by default. Help texts are built when a command is parsed, so they
/// read the environment of the run (`CLIContext.current`).
extension CLIContext {
    /// The catalogue for this run's environment.
    var catalogue: Catalogue { Catalogue(flag: languageFlag, environment: environment) }

    /// The catalogue of the run being parsed or executed (help texts, option descriptions).
    static var texts: Catalogue { current.catalogue }
}
