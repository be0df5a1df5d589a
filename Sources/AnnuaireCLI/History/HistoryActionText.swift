import Habilitations
import Messages

/// The history's action names (`annAction`) in the reader's language (R11).
enum HistoryActionText {
    static func label(_ action: String, _ catalogue: Catalogue) -> String {
        guard let known = HistoryAction(rawValue: action) else { return action }
        let message: Message = switch known {
        case .add: .historyActionAdd
        case .modify: .historyActionModify
        case .delete: .historyActionDelete
        case .createUser: .historyActionCreateUser
        case .close: .historyActionClose
        case .reopen: .historyActionReopen
        case .reattach: .historyActionReattach
        case .resetPassword: .historyActionResetPassword
        case .resendIdentifier: .historyActionResendIdentifier
        case .changePassword: .historyActionChangePassword
        case .passwordRecovery: .historyActionPasswordRecovery
        case .firstPassword: .historyActionFirstPassword
        }
        return catalogue.text(message)
    }
}
