import Foundation

/// The partner portal's texts ("Mon Compte Partenaire", issue #17, item 3),
/// part of the product's one message catalogue: French first (the
/// tutorial's words where it has them), English second. The portal's
/// templates read a language's whole table as `t` (keys such as
/// `login.title`), so these are keyed by dotted strings rather than by
/// `Message` cases; placeholders are written `{name}` as in `Catalogue`.
/// Refusals keep their rule id (R2…R11) in both languages.
public enum PortalTexts {
    public static let catalogue: [String: (fr: String, en: String)] = [
        // Layout
        "app.title": ("Mon Compte Partenaire", "My Partner Account"),
        "app.skip": ("Aller au contenu", "Skip to content"),
        "app.language": ("Langue", "Language"),
        "app.otherLanguage": ("English", "Français"),
        "app.otherLanguageCode": ("en", "fr"),
        "app.loggedInAs": ("Connecté en tant que", "Logged in as"),
        "app.mainMenu": ("Menu principal", "Main menu"),
        "app.back": ("Retour à l'accueil", "Back to the home page"),
        // Connexion
        "login.title": ("Connexion", "Log in"),
        "login.heading": ("Connexion à Mon Compte Partenaire", "Log in to My Partner Account"),
        "login.identifier": ("Identifiant", "Identifier"),
        "login.password": ("Mot de passe", "Password"),
        "login.submit": ("Se connecter", "Log in"),
        "login.forgot": ("Mot de passe oublié ?", "Forgot your password?"),
        "login.updateTitle": ("Mettre à jour votre mot de passe", "Update your password"),
        "login.updateText": (
            "Vous avez reçu un mot de passe provisoire par courriel : connectez-vous avec votre identifiant et ce mot de passe, il vous sera demandé de le personnaliser aussitôt. Un mot de passe provisoire est valable 24 heures.",
            "You received a temporary password by e-mail: log in with your identifier and that password, and you will be asked to choose your own at once. A temporary password is valid for 24 hours."
        ),
        "login.security": ("SÉCURITÉ", "SECURITY"),
        "login.legalWarning": ("Avertissement", "Warning"),
        "login.usageRules": ("Règles d'usage", "Usage rules"),
        "login.rulesUnavailable": (
            "Les règles d'usage ne peuvent pas être lues pour le moment. Ce service professionnel est réservé aux seules personnes habilitées.",
            "The usage rules cannot be read at the moment. This professional service is reserved for authorised persons only."
        ),
        "login.refused": ("Identifiant ou mot de passe incorrect.", "Wrong identifier or password."),
        "login.expired": (
            "Votre mot de passe a expiré (un mot de passe provisoire n'est valable que 24 heures). Utilisez « Mot de passe oublié ? » pour en recevoir un nouveau.",
            "Your password has expired (a temporary password is valid for 24 hours only). Use \"Forgot your password?\" to receive a new one."
        ),
        "login.missing": ("Saisissez votre identifiant et votre mot de passe.", "Type your identifier and your password."),
        "login.rateLimited": (
            "Trop de tentatives de connexion. Réessayez dans quelques minutes.",
            "Too many login attempts. Try again in a few minutes."
        ),
        "login.full": (
            "Le portail accueille trop de personnes en ce moment. Réessayez dans quelques minutes.",
            "The portal has too many people logged in at the moment. Try again in a few minutes."
        ),
        "login.sessionExpired": ("Votre session a expiré : reconnectez-vous.", "Your session has expired: log in again."),
        "login.loggedOut": ("Vous êtes déconnecté.", "You are logged out."),
        "login.unavailable": (
            "Le service d'annuaire ne répond pas. Réessayez plus tard.",
            "The directory service does not answer. Try again later."
        ),
        // Password change (R6)
        "password.changeTitle": ("Changer votre mot de passe", "Change your password"),
        "password.mustChange": (
            "Vous vous êtes connecté avec un mot de passe provisoire : choisissez votre mot de passe pour continuer.",
            "You logged in with a temporary password: choose your own password to continue."
        ),
        "password.current": ("Mot de passe actuel", "Current password"),
        "password.currentTemporary": ("Mot de passe provisoire reçu par courriel", "Temporary password received by e-mail"),
        "password.new": ("Nouveau mot de passe", "New password"),
        "password.confirm": ("Confirmation du nouveau mot de passe", "New password again"),
        "password.submit": ("Changer le mot de passe", "Change the password"),
        "password.rulesTitle": ("Votre mot de passe doit :", "Your password must:"),
        "password.rule.length": ("contenir au moins 12 caractères ;", "have at least 12 characters;"),
        "password.rule.kinds": (
            "mélanger au moins 3 sortes de caractères parmi minuscules, majuscules, chiffres et autres caractères ;",
            "mix at least 3 kinds of characters among lower case, upper case, digits and other characters;"
        ),
        "password.rule.names": (
            "ne contenir ni votre identifiant, ni votre nom, ni votre prénom ;",
            "contain neither your identifier nor your last or first name;"
        ),
        "password.rule.history": ("être différent de vos 5 derniers mots de passe.", "differ from your last 5 passwords."),
        "password.changed": ("Votre mot de passe a été changé.", "Your password has been changed."),
        "password.wrongCurrent": ("Le mot de passe actuel n'est pas le bon.", "The current password is not right."),
        "password.mismatch": ("Les deux nouveaux mots de passe sont différents.", "The two new passwords differ."),
        "password.tooShort": (
            "Il contient {length} caractères ; il en faut au moins {minimum} (R6).",
            "It has {length} characters; at least {minimum} are needed (R6)."
        ),
        "password.tooFewKinds": (
            "Il mélange {kinds} sortes de caractères ; il en faut au moins {required} parmi minuscules, majuscules, chiffres et autres caractères (R6).",
            "It mixes {kinds} kinds of characters; at least {required} of lower case, upper case, digits and other characters are needed (R6)."
        ),
        "password.containsIdentifier": ("Il contient votre identifiant (R6).", "It contains your identifier (R6)."),
        "password.containsLastName": ("Il contient votre nom (R6).", "It contains your last name (R6)."),
        "password.containsFirstName": ("Il contient votre prénom (R6).", "It contains your first name (R6)."),
        "password.inHistory": (
            "Vous avez déjà utilisé ce mot de passe récemment : choisissez-en un autre (R6).",
            "You used this password recently: choose another one (R6)."
        ),
        "password.tooYoung": (
            "Votre mot de passe vient d'être changé : réessayez plus tard (R6).",
            "Your password was changed a moment ago: try again later (R6)."
        ),
        // Mot de passe oublié
        "forgot.title": ("Mot de passe oublié", "Forgotten password"),
        "forgot.text": (
            "Saisissez votre identifiant : si un compte ouvert lui correspond, un courriel vous est envoyé avec un lien et un code pour choisir un nouveau mot de passe.",
            "Type your identifier: if an open account matches it, an e-mail is sent to you with a link and a code to choose a new password."
        ),
        "forgot.submit": ("Envoyer", "Send"),
        "forgot.sent": (
            "Si cet identifiant correspond à un compte ouvert, un courriel vient d'être envoyé à l'adresse de ce compte. Suivez le lien qu'il contient.",
            "If this identifier matches an open account, an e-mail has just been sent to that account's address. Follow the link it holds."
        ),
        "forgot.rateLimited": (
            "Trop de demandes. Réessayez dans une heure.",
            "Too many requests. Try again in an hour."
        ),
        "recovery.title": ("Choisir un nouveau mot de passe", "Choose a new password"),
        "recovery.text": (
            "Le lien du courriel remplit le code pour vous ; sinon, copiez le code du courriel.",
            "The e-mail's link fills in the code for you; otherwise, copy the code from the e-mail."
        ),
        "recovery.code": ("Code reçu par courriel", "Code received by e-mail"),
        "recovery.invalidCode": (
            "Ce code n'est pas valable : il a déjà servi ou a expiré. Demandez-en un nouveau avec « Mot de passe oublié ? ».",
            "This code is not valid: it was used already or has expired. Ask for a new one with \"Forgot your password?\"."
        ),
        "recovery.done": (
            "Votre mot de passe a été changé : connectez-vous avec lui.",
            "Your password has been changed: log in with it."
        ),
        // Bienvenue
        "welcome.title": ("Bienvenue", "Welcome"),
        "welcome.heading": ("Bienvenue {name}", "Welcome {name}"),
        "menu.habilitations": ("Gestion des habilitations", "Access rights management"),
        "menu.partners": ("Mes organismes", "My organisations"),
        "menu.conventions": ("Mes conventions", "My conventions"),
        "menu.internalUsers": ("Mes utilisateurs en internes", "My internal users"),
        "menu.partnerTypes": ("Les types de partenaires", "Partner types"),
        "menu.dashboards": ("Mes tableaux de bord", "My dashboards"),
        "menu.users": ("Gestion des utilisateurs", "User management"),
        "menu.groups": ("Gestion des groupes", "Group management"),
        "menu.history": ("Historique", "History"),
        "menu.services": ("Services et profils", "Services and profiles"),
        "menu.administrators": ("Administrateurs", "Administrators"),
        "menu.applications": ("Comptes applicatifs", "Application accounts"),
        "menu.rules": ("Règles d'usage", "Usage rules"),
        "menu.profile": ("Mon profil", "My profile"),
        "menu.logout": ("Déconnexion", "Log out"),
        // Mon profil
        "profile.title": ("Mon profil", "My profile"),
        "profile.identifier": ("Identifiant", "Identifier"),
        "profile.name": ("Nom", "Last name"),
        "profile.firstName": ("Prénom", "First name"),
        "profile.displayName": ("Nom affiché", "Display name"),
        "profile.mail": ("Adresse mail", "E-mail address"),
        "profile.phone": ("Téléphone", "Phone"),
        "profile.save": ("Enregistrer", "Save"),
        "profile.saved": ("Votre profil a été enregistré.", "Your profile has been saved."),
        "profile.passwordSection": ("Mot de passe", "Password"),
        // Users
        "users.title": ("Gestion des utilisateurs", "User management"),
        "users.filters": ("Filtres", "Filters"),
        "users.convention": ("Convention", "Convention"),
        "users.identifier": ("Identifiant", "Identifier"),
        "users.lastName": ("Nom", "Last name"),
        "users.firstName": ("Prénom", "First name"),
        "users.group": ("Groupe", "Group"),
        "users.anyGroup": ("Tous les groupes", "All groups"),
        "users.search": ("Rechercher", "Search"),
        "users.mail": ("Adresse mail", "E-mail address"),
        "users.phone": ("Téléphone", "Phone"),
        "users.openDate": ("Date d'ouverture", "Opening date"),
        "users.closeDate": ("Date de clôture", "Closing date"),
        "users.status": ("Statut", "Status"),
        "users.disabled": ("Désactivé", "Disabled"),
        "users.statusOpen": ("Ouvert", "Open"),
        "users.statusClosed": ("Clôturé", "Closed"),
        "users.statusPending": ("En attente", "Pending"),
        "users.none": ("Aucun utilisateur ne correspond à ces filtres.", "No user matches these filters."),
        "users.page": ("Page {page}", "Page {page}"),
        "users.next": ("Page suivante", "Next page"),
        "users.first": ("Première page", "First page"),
        "users.actions": ("Actions", "Actions"),
        "users.closeButton": ("Clôturer", "Close"),
        "users.closeLabel": ("Clôturer l'utilisateur {identifier}", "Close user {identifier}"),
        "users.reopenButton": ("Réouvrir", "Reopen"),
        "users.reopenLabel": ("Réouvrir l'utilisateur {identifier}", "Reopen user {identifier}"),
        "users.closed": ("L'utilisateur {identifier} est clôturé.", "User {identifier} is closed."),
        "users.reopened": ("L'utilisateur {identifier} est réouvert.", "User {identifier} is reopened."),
        "users.otherActions": ("Autres actions", "Other actions"),
        "users.otherActionsLabel": ("Autres actions pour {identifier}", "Other actions for {identifier}"),
        "actions.title": ("Autres actions", "Other actions"),
        "actions.user": ("Utilisateur", "User"),
        "actions.resetPassword": ("Réinitialiser le mot de passe", "Reset the password"),
        "actions.resetPasswordText": (
            "Un mot de passe provisoire est envoyé par courriel à l'utilisateur ; vous ne le voyez pas.",
            "A temporary password is mailed to the user; you never see it."
        ),
        "actions.resendIdentifier": ("Renvoyer l'identifiant", "Resend the identifier"),
        "actions.resendIdentifierText": ("L'identifiant est renvoyé par courriel à l'utilisateur.", "The identifier is mailed to the user again."),
        "actions.passwordReset": (
            "Un mot de passe provisoire a été envoyé par courriel à {identifier}.",
            "A temporary password has been mailed to {identifier}."
        ),
        "actions.identifierSent": ("L'identifiant a été renvoyé par courriel à {identifier}.", "The identifier has been mailed to {identifier} again."),
        "memberships.title": ("Groupes de l'utilisateur", "The user's groups"),
        "memberships.group": ("Groupe", "Group"),
        "memberships.none": ("Cet utilisateur n'est rattaché à aucun groupe de la convention.", "This user belongs to no group of the convention."),
        "memberships.attach": ("Rattacher à un groupe", "Attach to a group"),
        "memberships.attachSubmit": ("Rattacher", "Attach"),
        "memberships.closeLabel": ("Clôturer le rattachement au groupe {group}", "Close the membership of group {group}"),
        "memberships.attached": ("{identifier} est rattaché au groupe {group}.", "{identifier} is attached to group {group}."),
        "memberships.closed": ("Le rattachement de {identifier} au groupe {group} est clôturé.", "The membership of {identifier} in group {group} is closed."),
        "users.create": ("Créer un utilisateur", "Create a user"),
        "users.caption": ("Utilisateurs de la convention {convention}", "Users of convention {convention}"),
        "users.noConvention": (
            "Vous n'administrez aucune convention : aucun utilisateur à gérer.",
            "You administer no convention: there is no user to manage."
        ),
        // Create user (R4)
        "create.title": ("Créer un utilisateur", "Create a user"),
        "create.identity": ("Identité", "Identity"),
        "create.contact": ("Coordonnées", "Contact details"),
        "create.habilitation": ("Habilitation", "Access rights"),
        "create.mail": ("Adresse mail", "E-mail address"),
        "create.mailConfirmation": ("Confirmation de l'adresse mail", "E-mail address again"),
        "create.phone": ("Téléphone", "Phone"),
        "create.phoneConfirmation": ("Confirmation du téléphone", "Phone again"),
        "create.workMode": ("Mode de travail", "Work mode"),
        "create.sedentary": ("Sédentaire", "Sedentary"),
        "create.itinerant": ("Itinérant", "Itinerant"),
        "create.openDate": ("Date d'ouverture", "Opening date"),
        "create.closeDate": ("Date de clôture (facultative)", "Closing date (optional)"),
        "create.dateHint": ("jj/mm/aaaa", "dd/mm/yyyy"),
        "create.group": ("Groupe d'habilitation", "Access rights group"),
        "create.submit": ("Créer l'utilisateur", "Create the user"),
        "create.done": (
            "L'utilisateur {identifier} a été créé. Son identifiant et son mot de passe provisoire lui sont envoyés par courriel.",
            "User {identifier} has been created. The identifier and a temporary password are mailed to the person."
        ),
        "create.mailMismatch": ("Les deux adresses mail sont différentes.", "The two e-mail addresses differ."),
        "create.phoneMismatch": ("Les deux numéros de téléphone sont différents.", "The two phone numbers differ."),
        "create.workModeMissing": ("Indiquez si l'utilisateur est sédentaire ou itinérant.", "Say whether the user is sedentary or itinerant."),
        "create.sharedMailbox": (
            "C'est une boîte partagée : donnez l'adresse nominative de la personne.",
            "This is a shared mailbox: give the person's own address."
        ),
        "create.mailInvalid": ("Ce n'est pas une adresse mail.", "This is not an e-mail address."),
        "create.phoneInvalid": ("Ce n'est pas un numéro de téléphone.", "This is not a phone number."),
        "create.groupUnknown": ("Choisissez un groupe de la convention.", "Choose a group of the convention."),
        "create.dateInvalid": ("Écrivez la date jj/mm/aaaa.", "Write the date as dd/mm/yyyy."),
        "field.required": ("Ce champ est obligatoire.", "This field is required."),
        "field.errorPrefix": ("Erreur :", "Error:"),
        // Groups
        "groups.title": ("Gestion des groupes", "Group management"),
        "groups.code": ("Code", "Code"),
        "groups.label": ("Libellé", "Label"),
        "groups.user": ("Utilisateur (identifiant)", "User (identifier)"),
        "groups.level": ("Niveau", "Level"),
        "groups.responsible": ("Responsable", "Responsible"),
        "groups.roles": ("Rôles", "Roles"),
        "groups.none": ("Aucun groupe ne correspond à ces filtres.", "No group matches these filters."),
        "groups.caption": ("Groupes de la convention {convention}", "Groups of convention {convention}"),
        "groups.create": ("Créer un groupe", "Create a group"),
        "groups.parent": ("Sous-groupe de (facultatif)", "Subgroup of (optional)"),
        "groups.noParent": ("Aucun", "None"),
        "groups.rolesLegend": ("Rôles du groupe (profils accordés par la convention)", "The group's roles (profiles the convention grants)"),
        "groups.responsibleHint": ("Identifiant d'un utilisateur de la convention", "Identifier of a user of the convention"),
        "groups.submit": ("Créer le groupe", "Create the group"),
        "groups.created": ("Le groupe {code} a été créé.", "Group {code} has been created."),
        "groups.createdWithResponsible": (
            "Le groupe {code} a été créé ; son responsable {identifier} a été créé et a reçu son identifiant et un mot de passe provisoire par mail.",
            "Group {code} has been created; its responsible {identifier} has been created and has received the identifier and a temporary password by e-mail."
        ),
        "groups.modifiedWithResponsible": (
            "Le groupe {code} a été modifié ; son responsable {identifier} a été créé et a reçu son identifiant et un mot de passe provisoire par mail.",
            "Group {code} has been modified; its responsible {identifier} has been created and has received the identifier and a temporary password by e-mail."
        ),
        "groups.responsibleCreatedGroupNot": (
            "L'utilisateur {identifier} a été créé comme responsable (identifiant et mot de passe provisoire envoyés par mail), mais le groupe n'a pas été enregistré : corrigez ce qui est indiqué puis enregistrez à nouveau ; {identifier} reste le responsable choisi.",
            "User {identifier} has been created as the responsible (identifier and temporary password sent by e-mail), but the group has not been saved: correct what is shown and save again; {identifier} stays the chosen responsible."
        ),
        "groups.newResponsible": ("Ou créer le responsable sur le champ", "Or create the responsible on the spot"),
        "groups.newResponsibleCheck": (
            "Créer ce responsable (le champ Responsable ci-dessus est alors ignoré)", "Create this responsible (the Responsible field above is then ignored)"
        ),
        "groups.newResponsibleGroup": ("Groupe d'habilitation du nouvel utilisateur", "Access rights group of the new user"),
        "groups.actions": ("Actions", "Actions"),
        "groups.close": ("Clôturer le groupe {code}", "Close group {code}"),
        "groups.closeButton": ("Clôturer", "Close"),
        "groups.closed": ("Le groupe {code} est clôturé.", "Group {code} is closed."),
        "groups.codeTaken": ("Ce code est déjà utilisé dans la convention : choisissez-en un autre.", "This code is already used in the convention: choose another."),
        "groups.codeInvalid": ("Un code court : au plus 16 lettres, chiffres, « - », « _ » ou « . ».", "A short code: at most 16 letters, digits, '-', '_' or '.'."),
        "groups.responsibleInvalid": ("Choisissez un utilisateur de la convention.", "Choose a user of the convention."),
        "groups.roleNotGranted": ("Choisissez parmi les profils que la convention accorde.", "Choose among the profiles the convention grants."),
        "groups.parentInvalid": ("Choisissez un groupe de la même convention.", "Choose a group of the same convention."),
        "field.datesOrder": ("La date de clôture est avant la date d'ouverture.", "The closing date is before the opening date."),
        // Forms
        "form.save": ("Enregistrer", "Save"),
        "form.nothingChanged": ("Rien n'a changé.", "Nothing changed."),
        "form.emptyCloseDate": ("laissez vide pour aucune date de clôture", "leave empty for no closing date"),
        // Modifier un groupe (R2, R3)
        "groups.modify": ("Modifier", "Modify"),
        "groups.modifyLabel": ("Modifier le groupe {code}", "Modify group {code}"),
        "groups.editTitle": ("Modifier le groupe {code}", "Modify group {code}"),
        "groups.fieldsTitle": ("Informations du groupe", "The group's details"),
        "groups.modified": ("Le groupe {code} a été modifié.", "Group {code} has been modified."),
        "groups.rolesTitle": ("Habilitations du groupe", "The group's access rights"),
        "groups.roleName": ("Service / profil", "Service / profile"),
        "groups.roleChoice": ("Service / profil à assigner", "Service / profile to assign"),
        "groups.assignRole": ("Assigner rôle", "Assign role"),
        "groups.removeRole": ("Retirer", "Remove"),
        "groups.removeRoleLabel": ("Retirer le rôle {role}", "Remove role {role}"),
        "groups.roleAssigned": ("Le rôle {role} est assigné au groupe {code}.", "Role {role} is assigned to group {code}."),
        "groups.roleRemoved": ("Le rôle {role} est retiré du groupe {code}.", "Role {role} is removed from group {code}."),
        "groups.noRoles": ("Ce groupe n'a encore aucun rôle : assignez-en un pour que ses membres aient accès au service.", "This group has no role yet: assign one so that its members reach the service."),
        "groups.noRoleLeft": ("Le groupe a déjà tous les profils que la convention accorde.", "The group already has every profile the convention grants."),
        "groups.chooseRole": ("Choisissez un service et un profil.", "Choose a service and a profile."),
        // Modifier un utilisateur (R4)
        "users.modify": ("Modifier", "Modify"),
        "users.modifyLabel": ("Modifier l'utilisateur {identifier}", "Modify user {identifier}"),
        "users.editTitle": ("Modifier l'utilisateur {identifier}", "Modify user {identifier}"),
        "users.modified": ("L'utilisateur {identifier} a été modifié.", "User {identifier} has been modified."),
        "users.confirmHint": ("à ressaisir seulement si vous la changez", "type it again only if you change it"),
        "users.dates": ("Dates", "Dates"),
        // Rattacher de nouveau (R5)
        "memberships.reattach": ("Rattacher à nouveau", "Attach again"),
        "memberships.reattachLabel": ("Rattacher à nouveau au groupe {group}", "Attach to group {group} again"),
        "memberships.reattached": ("{identifier} est de nouveau rattaché au groupe {group}.", "{identifier} is attached to group {group} again."),
        "memberships.stillOpen": (
            "Cet utilisateur est déjà rattaché à ce groupe pour une période qui n'est pas terminée : changez plutôt les dates de ce rattachement.",
            "This user is already attached to this group for a period that has not ended: change that membership's dates instead."
        ),
        "memberships.overlap": (
            "La nouvelle période ne peut pas commencer avant la fin de la précédente.",
            "The new period cannot start before the previous one ends."
        ),
        // Historique (R11)
        "history.title": ("Historique", "History"),
        "history.ofUser": ("Historique de l'utilisateur", "The user's history"),
        "history.ofGroup": ("Historique du groupe", "The group's history"),
        "history.subjectUser": ("Historique de l'utilisateur {identifier}", "History of user {identifier}"),
        "history.subjectGroup": ("Historique du groupe {code}", "History of group {code}"),
        "history.subjectConvention": ("Historique de la convention {convention}", "History of convention {convention}"),
        "history.user": ("Utilisateur (identifiant)", "User (identifier)"),
        "history.group": ("Groupe (code)", "Group (code)"),
        "history.actor": ("Auteur (identifiant)", "Author (identifier)"),
        "history.actionFilter": ("Action", "Action"),
        "history.anyAction": ("Toutes les actions", "All actions"),
        "history.since": ("Depuis le", "From"),
        "history.until": ("Jusqu'au", "Until"),
        "history.time": ("Date (heure de Paris)", "Date (Paris time)"),
        "history.element": ("Élément", "Item"),
        "history.changes": ("Modifications", "Changes"),
        "history.none": ("Aucun événement ne correspond à ces filtres.", "No event matches these filters."),
        "history.action.add": ("Création", "Creation"),
        "history.action.modify": ("Modification", "Change"),
        "history.action.delete": ("Suppression", "Deletion"),
        "history.action.create-user": ("Création d'utilisateur", "User creation"),
        "history.action.close": ("Clôture", "Closing"),
        "history.action.reopen": ("Réouverture", "Reopening"),
        "history.action.reattach": ("Nouveau rattachement", "Attached again"),
        "history.action.reset-password": ("Réinitialisation du mot de passe", "Password reset"),
        "history.action.resend-identifier": ("Renvoi de l'identifiant", "Identifier sent again"),
        "history.action.change-password": ("Changement de mot de passe", "Password change"),
        "history.action.password-recovery": ("Mot de passe oublié", "Forgotten password"),
        "history.action.first-password": ("Premier mot de passe", "First password"),
        "history.field.annlabel": ("Libellé", "Label"),
        "history.field.annopendate": ("Date d'ouverture", "Opening date"),
        "history.field.annclosedate": ("Date de clôture", "Closing date"),
        "history.field.annrole": ("Rôles", "Roles"),
        "history.field.annresponsible": ("Responsable", "Responsible"),
        "history.field.annparentgroup": ("Sous-groupe de", "Subgroup of"),
        "history.field.annmember": ("Membre", "Member"),
        "history.field.annmemberuid": ("Identifiant", "Identifier"),
        "history.field.sn": ("Nom", "Last name"),
        "history.field.givenname": ("Prénom", "First name"),
        "history.field.cn": ("Nom complet", "Full name"),
        "history.field.displayname": ("Nom affiché", "Display name"),
        "history.field.mail": ("Adresse mail", "E-mail address"),
        "history.field.telephonenumber": ("Téléphone", "Phone"),
        "history.field.annworkmode": ("Mode de travail", "Work mode"),
        "history.field.uid": ("Identifiant", "Identifier"),
        "history.field.annconvention": ("Convention", "Convention"),
        "history.field.annadministers": ("Administre", "Administers"),
        "history.field.anngrantedprofile": ("Profils accordés", "Granted profiles"),
        "history.field.annpartnertype": ("Type de partenaire", "Partner type"),
        "history.field.annservicescope": ("Services servis", "Services served"),
        "history.field.description": ("Description", "Description"),
        // Mes tableaux de bord
        "dashboard.title": ("Mes tableaux de bord", "My dashboards"),
        "dashboard.show": ("Afficher", "Show"),
        "dashboard.caption": ("Convention {convention}", "Convention {convention}"),
        "dashboard.openUsers": ("Utilisateurs ouverts", "Open users"),
        "dashboard.closedUsers": ("Utilisateurs clôturés", "Closed users"),
        "dashboard.temporary": ("Mots de passe provisoires pas encore personnalisés", "Temporary passwords not yet replaced"),
        "dashboard.ending": ("Rattachements finissant dans les {days} jours", "Memberships ending within {days} days"),
        "dashboard.emptyGroups": ("Groupes ouverts sans membre", "Open groups without a member"),
        "dashboard.moreThan": ("plus de {count}", "more than {count}"),
        "dashboard.truncated": ("Liste abrégée : utilisez les filtres de la liste des utilisateurs ou des groupes.", "Shortened list: use the filters of the users or groups list."),
        // Operator's catalogue (R8)
        "operator.none": ("Aucun élément pour le moment.", "Nothing yet."),
        "operator.choose": ("Choisir…", "Choose…"),
        "operator.codeHint": ("lettres, chiffres, « - », « _ » ou « . »", "letters, digits, '-', '_' or '.'"),
        "operator.codeInvalid": ("Un code court : au plus 32 lettres, chiffres, « - », « _ » ou « . ».", "A short code: at most 32 letters, digits, '-', '_' or '.'."),
        "operator.codeTaken": ("Ce code est déjà utilisé : choisissez-en un autre.", "This code is already used: choose another."),
        "operator.refused": ("Seul l'opérateur peut faire cette modification.", "Only the operator may make this change."),
        "operator.created": ("{code} a été créé.", "{code} has been created."),
        "internal.create": ("Créer un utilisateur interne", "Create an internal user"),
        "internal.mailHint": ("son adresse nominative : le mot de passe provisoire y est envoyé", "the person's own address: the temporary password is mailed there"),
        "internal.created": (
            "L'utilisateur interne {identifier} a été créé ; un mot de passe provisoire est envoyé à {mail}.",
            "Internal user {identifier} has been created; a temporary password is mailed to {mail}."
        ),
        "internal.createdNoMail": (
            "L'utilisateur interne {identifier} a été créé, mais aucun mot de passe provisoire n'a pu être envoyé : {reason}",
            "Internal user {identifier} has been created, but no temporary password could be mailed: {reason}"
        ),
        "partnerTypes.create": ("Créer un type de partenaire", "Create a partner type"),
        "partners.type": ("Type de partenaire", "Partner type"),
        "partners.create": ("Créer un organisme", "Create an organisation"),
        "services.service": ("Service", "Service"),
        "services.profiles": ("Profils", "Profiles"),
        "services.create": ("Créer un service", "Create a service"),
        "services.createProfile": ("Créer un profil", "Create a profile"),
        "services.profileCode": ("Code du profil", "Profile code"),
        "services.profileLabel": ("Libellé du profil", "Profile label"),
        "conventions.detail": ("Détail convention", "Convention details"),
        "conventions.detailTitle": ("Convention {convention}", "Convention {convention}"),
        "conventions.create": ("Créer une convention", "Create a convention"),
        "conventions.partner": ("Organisme partenaire", "Partner organisation"),
        "conventions.number": ("Numéro de convention", "Convention number"),
        "conventions.granted": ("Profils accordés par la convention", "Profiles the convention grants"),
        "conventions.grantedLegend": ("Profils accordés (service / profil)", "Granted profiles (service / profile)"),
        "conventions.noneGranted": ("Cette convention n'accorde encore aucun profil.", "This convention grants no profile yet."),
        "conventions.grant": ("Accorder", "Grant"),
        "conventions.withdrawLabel": ("Retirer le profil {profile}", "Withdraw profile {profile}"),
        "conventions.grantedNotice": ("Le profil {value} est accordé par la convention {convention}.", "Profile {value} is granted by convention {convention}."),
        "conventions.withdrawn": ("Le profil {value} n'est plus accordé par la convention {convention}.", "Profile {value} is no longer granted by convention {convention}."),
        "administrators.identifier": ("Nouvel administrateur (identifiant)", "New administrator (identifier)"),
        "administrators.add": ("Nommer administrateur", "Make administrator"),
        "administrators.added": ("{value} administre la convention {convention} (dès sa prochaine connexion).", "{value} administers convention {convention} (from its next login)."),
        "administrators.removed": ("{value} n'administre plus la convention {convention}.", "{value} no longer administers convention {convention}."),
        "administrators.removeLabel": ("Retirer {identifier} des administrateurs de {convention}", "Remove {identifier} from the administrators of {convention}"),
        "administrators.notAUser": ("Choisissez un utilisateur de la convention (R8).", "Choose a user of the convention (R8)."),
        "administrators.none": ("Aucun administrateur.", "No administrator."),
        "administrators.conventions": ("Conventions administrées", "Conventions administered"),
        "administrators.how": ("Un administrateur se nomme depuis le détail de sa convention.", "An administrator is named from its convention's details."),
        "applications.name": ("Nom", "Name"),
        "applications.bindDN": ("DN de connexion", "Bind DN"),
        "applications.description": ("Description", "Description"),
        "applications.defaultDescription": ("Compte applicatif", "Application account"),
        "applications.create": ("Créer un compte applicatif", "Create an application account"),
        "applications.servicesLegend": ("Services que l'application sert", "Services the application serves"),
        "applications.serviceRequired": ("Choisissez au moins un service.", "Choose at least one service."),
        "applications.password": ("Mot de passe de l'application", "The application's password"),
        "applications.passwordHint": ("au moins 16 caractères, par exemple tirés au hasard", "at least 16 characters, drawn at random for instance"),
        "applications.passwordShort": ("Il faut au moins {minimum} caractères.", "At least {minimum} characters are needed."),
        // Rules
        "rules.title": ("Règles d'usage", "Usage rules"),
        // Errors
        "error.title": ("Erreur", "Error"),
        "error.csrf": (
            "Ce formulaire a expiré ou ne vient pas de ce portail. Rechargez la page et recommencez.",
            "This form has expired or does not come from this portal. Reload the page and try again."
        ),
        "error.notFound": ("Cette page n'existe pas.", "This page does not exist."),
        "error.notFoundOrDenied": (
            "Cet élément n'existe pas ou ne vous est pas accessible.",
            "This item does not exist or is not yours to see."
        ),
        "error.mustChangePassword": (
            "Changez d'abord votre mot de passe provisoire (R6).",
            "Change your temporary password first (R6)."
        ),
        "error.internal": ("Une erreur est survenue. Réessayez plus tard.", "Something went wrong. Try again later."),
    ]

    /// One text, `{name}` placeholders replaced by `values`. An unknown key is shown as itself.
    public static func text(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        guard let entry = catalogue[key] else { return key }
        return Catalogue.fill(language == .french ? entry.fr : entry.en, values)
    }

    /// Every text of a language, for templates (`{{t.login.title}}` reads key "login.title" through nested tables).
    public static func table(_ language: Language) -> [String: Any] {
        var root: [String: Any] = [:]
        for (key, entry) in catalogue {
            let parts = key.split(separator: ".").map(String.init)
            insert(language == .french ? entry.fr : entry.en, at: parts[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into table: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            table[head] = value
            return
        }
        var child = table[head] as? [String: Any] ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        table[head] = child
    }
}

extension Language {
    /// The portal's language from its cookie or the language link (`fr`, `en`); French for anything else.
    public init(portalCode code: String?) {
        self = code.flatMap { Language(rawValue: $0.lowercased()) } ?? .french
    }
}

extension Catalogue {
    /// A portal text in this catalogue's language (see `PortalTexts`).
    public func portal(_ key: String, _ values: [String: String] = [:]) -> String {
        PortalTexts.text(key, language, values)
    }
}
