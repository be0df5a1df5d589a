/// What a login attempt came to. A wrong identifier, a wrong password, a
/// closed or locked account all give `.refused`: the page never tells
/// whether an identifier exists (issue #17, item 4).
public enum LoginResult: Sendable {
    case loggedIn(PersonConnection, PersonProfile, mustChangePassword: Bool)
    case refused
    /// The password has expired: for a temporary one (R6), "Mot de passe oublié" sends a new one.
    /// Only told once the password given was right (the server says passwordExpired on a correct bind).
    case expired
    /// The server could not be reached or answered something else.
    case unavailable(String)
}
