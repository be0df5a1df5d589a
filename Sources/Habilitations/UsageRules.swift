public import DirectoryBackend
public import LDAPProtocol
public import Logging

/// R10: the usage rules ("Règles d'usage") and the legal warning (loi
/// Godfrain) that a client shows at login, held in the directory as two
/// entries under `ou=policies` (`cn=usage-rules`, `cn=legal-warning`, each
/// a `device` with its text in `description`) so that the operator changes
/// them with an ordinary Modify. Anyone may read them, before binding
/// (`AccessPolicy.isPublicRead`); only the operator writes them. The server
/// writes the tutorial's texts at start when they are missing.
public enum UsageRules {
    /// The usage rules, after the tutorial's login screen and its closing advice.
    public static let defaultRules = """
        Règles d'usage
        - Ce service professionnel est réservé aux seules personnes habilitées.
        - Ne partagez jamais votre identifiant et votre mot de passe.
        - En accédant à ce service, vous vous engagez à limiter l'utilisation des informations auxquelles vous avez accès \
        aux missions et finalités définies dans la convention signée avec votre organisme.
        - Les mots de passe envoyés par courriel sont provisoires : ils doivent être personnalisés dans les 24 heures \
        suivant leur réception ; passé ce délai, « mot de passe oublié » en envoie un nouveau.
        - Administrateurs : n'habilitez que les personnes qui en ont besoin, et prévenez vos collaborateurs de ces règles.
        """

    /// The legal warning of the tutorial's login screen.
    public static let defaultLegalWarning = """
        Ce service professionnel est réservé aux seules personnes habilitées. Si vous n'êtes pas l'une d'entre elles, \
        l'accès et le maintien dans ce site pourront être poursuivis au titre de la Loi n° 88-19 du 5 Janvier 1988 \
        (dite loi Godfrain), de même que les tentatives pour fausser ou entraver son fonctionnement.
        """

    /// The two entries, as first written.
    public static func entries(layout: DirectoryLayout) -> [(dn: String, attributes: [PartialAttribute])] {
        [
            (layout.usageRules, [
                PartialAttribute(type: "objectClass", strings: ["device"]),
                PartialAttribute(type: "cn", strings: ["usage-rules"]),
                PartialAttribute(type: "description", strings: [defaultRules]),
            ]),
            (layout.legalWarning, [
                PartialAttribute(type: "objectClass", strings: ["device"]),
                PartialAttribute(type: "cn", strings: ["legal-warning"]),
                PartialAttribute(type: "description", strings: [defaultLegalWarning]),
            ]),
        ]
    }

    /// Adds the entries that are missing (a new directory, or one made before R10); changes nothing else.
    public static func ensure(in store: any DirectoryStore, layout: DirectoryLayout, logger: Logger) async {
        for (dn, attributes) in entries(layout: layout) {
            do {
                guard try await store.read(dn, attributes: ["1.1"]) == nil else { continue }
                _ = try await store.add(dn: dn, attributes: attributes, controls: [])
                logger.info("wrote the usage rules (R10)", metadata: ["dn": "\(dn)"])
            } catch {
                logger.warning("could not write the usage rules (R10); clients will not show them", metadata: ["dn": "\(dn)", "error": "\(error)"])
            }
        }
    }
}
