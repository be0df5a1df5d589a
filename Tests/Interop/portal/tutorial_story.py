"""The seed tutorial's story in a real browser (issue #17): headless Chromium
driven by Selenium through the portal, axe-core on every screen, a screenshot
of every screen. Prints one JSON object: the steps and what failed.

Environment: PORTAL_URL, PORTAL_SHORT_URL (a portal whose sessions end after
IDLE_SECONDS), MAILDIR, SCREENSHOTS, ADMIN_ID, OTHER_ID, OTHER_PASSWORD,
DEMO_PASSWORD, OPERATOR_ID.
"""
import glob
import json
import os
import re
import sys
import time
import traceback
import urllib.parse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

PORTAL = os.environ["PORTAL_URL"]
SHORT = os.environ["PORTAL_SHORT_URL"]
IDLE = float(os.environ.get("IDLE_SECONDS", "3"))
MAILDIR = os.environ["MAILDIR"]
SHOTS = os.environ["SCREENSHOTS"]
ADMIN = os.environ["ADMIN_ID"]
OTHER = os.environ["OTHER_ID"]
OTHER_PASSWORD = os.environ["OTHER_PASSWORD"]
PASSWORD = os.environ["DEMO_PASSWORD"]
OPERATOR = os.environ.get("OPERATOR_ID", "operateur")

steps = []
violations = []


def step(name, ok, detail=""):
    steps.append({"name": name, "ok": bool(ok), "detail": detail})
    if not ok:
        raise AssertionError(f"{name}: {detail}")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--ignore-certificate-errors",
                     "--window-size=1280,1000", "--lang=fr-FR"]:
        options.add_argument(argument)
    binary = "/usr/bin/chromium"
    if os.path.exists(binary):
        options.binary_location = binary
    service = Service("/usr/bin/chromedriver") if os.path.exists("/usr/bin/chromedriver") else Service()
    return webdriver.Chrome(service=service, options=options)


def screen(driver, name):
    """A screenshot and the axe-core check (no violation of impact serious or critical)."""
    driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    for v in serious:
        violations.append({"screen": name, "id": v["id"], "impact": v["impact"],
                           "nodes": [n.get("target") for n in v.get("nodes", [])][:5]})
    step(f"axe {name}", not serious, json.dumps([v["id"] for v in serious]))


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def fill(driver, field_id, value):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def submit(driver, action):
    """Runs `action` (a click, a key) and waits for the page it loads."""
    old = driver.find_element(By.TAG_NAME, "html")
    action()

    def replaced(_):
        # Chromium reports a node of the page being left either as stale or as "not in the document".
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            return True
    WebDriverWait(driver, 15).until(replaced)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def click(driver, selector):
    submit(driver, lambda: driver.find_element(By.CSS_SELECTOR, selector).click())


def login(driver, base, identifier, password):
    driver.get(base + "/connexion")
    fill(driver, "identifiant", identifier)
    fill(driver, "motdepasse", password)
    click(driver, "form[action='/connexion'] button[type=submit]")


def logout(driver):
    click(driver, "form.logout button")


def mails_to(address):
    count = 0
    for path in glob.glob(os.path.join(MAILDIR, "new", "*")):
        with open(path, encoding="utf-8", errors="replace") as handle:
            if f"To: {address}" in handle.read():
                count += 1
    return count


def mailed_password(address):
    """The temporary password of the last mail to `address` (the French template's line)."""
    deadline = time.time() + 20
    while time.time() < deadline:
        files = sorted(glob.glob(os.path.join(MAILDIR, "new", "*")), key=os.path.getmtime)
        for path in reversed(files):
            with open(path, encoding="utf-8", errors="replace") as handle:
                mail = handle.read()
            if f"To: {address}" in mail and "mot de passe temporaire pour" in mail:
                for line in mail.splitlines():
                    if "mot de passe temporaire pour" in line:
                        return line.split(" ")[-1].strip()
        time.sleep(0.5)
    raise AssertionError(f"no temporary password mailed to {address}")


def mailed_recovery_code(address):
    """The code of the last recovery link mailed to `address` (<portal>/mot-de-passe/nouveau#<code>)."""
    deadline = time.time() + 20
    while time.time() < deadline:
        files = sorted(glob.glob(os.path.join(MAILDIR, "new", "*")), key=os.path.getmtime)
        for path in reversed(files):
            with open(path, encoding="utf-8", errors="replace") as handle:
                mail = handle.read()
            found = re.search(r"/mot-de-passe/nouveau#([A-Za-z0-9_\-.~%]+)", mail)
            if f"To: {address}" in mail and found:
                return found.group(1)
        time.sleep(0.5)
    raise AssertionError(f"no recovery link mailed to {address}")


def story(driver):
    # Connexion: the legal warning and the usage rules (R10) before login.
    driver.get(PORTAL + "/")
    body = text(driver)
    step("login page shows SÉCURITÉ and the legal warning", "SÉCURITÉ" in body and "Godfrain" in body, body[:300])
    step("login page has the forgot-password link and the update box",
         "Mot de passe oublié ?" in body and "Mettre à jour votre mot de passe" in body)
    screen(driver, "01-connexion")

    # A wrong password: the same answer as an unknown identifier.
    login(driver, PORTAL, ADMIN, "wrong-password")
    wrong = driver.find_element(By.ID, "login-error").text
    login(driver, PORTAL, "NOBODY0000", "wrong-password")
    unknown = driver.find_element(By.ID, "login-error").text
    step("a wrong password and an unknown identifier get the same answer", wrong == unknown and wrong != "", f"{wrong!r} / {unknown!r}")
    screen(driver, "02-connexion-refusee")

    # The administrator logs in with the keyboard only.
    driver.get(PORTAL + "/connexion")
    submit(driver, lambda: driver.find_element(By.ID, "identifiant").send_keys(ADMIN + Keys.TAB + PASSWORD + Keys.ENTER))
    step("the administrator logs in with the keyboard", driver.current_url.endswith("/accueil"), driver.current_url)
    body = text(driver)
    step("Bienvenue shows the administrator's menu",
         all(entry in body for entry in ["Gestion des habilitations", "Mes conventions", "Gestion des utilisateurs", "Règles d'usage", "Mon profil", "Déconnexion"]),
         body[:400])
    step("the operator's entries are not shown to an administrator", "Les types de partenaires" not in body)
    screen(driver, "03-bienvenue-administrateur")

    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Mes conventions").click())
    step("Mes conventions lists CONV-0606-001", "CONV-0606-001" in text(driver))
    screen(driver, "04-mes-conventions")
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Gestion des groupes").click())
    step("Gestion des groupes lists group T1", "T1" in driver.find_element(By.ID, "groupes").text)
    screen(driver, "05-gestion-des-groupes")

    # Créer un groupe with a role (R2, R3): a code already used is refused next to its field, then T2.
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Créer un groupe").click())
    screen(driver, "05a-creer-un-groupe")
    fill(driver, "code", "T1")
    fill(driver, "label", "CDAP T1 bis")
    driver.find_element(By.ID, "role-CDAP-T1").click()
    click(driver, "form[action='/groupes/nouveau'] button[type=submit]")
    error = driver.find_elements(By.ID, "code-erreur")
    step("a group code already used is refused next to the field", bool(error) and "déjà utilisé" in error[0].text,
         error[0].text if error else text(driver)[:400])
    fill(driver, "code", "T2")
    click(driver, "form[action='/groupes/nouveau'] button[type=submit]")
    table = driver.find_element(By.ID, "groupes").text
    step("the group T2 is created with the role CDAP/T1", "Le groupe T2 a été créé" in text(driver) and "CDAP/T1" in table, table)
    screen(driver, "05b-groupe-cree")
    # Créer un groupe with its responsible created on the spot (R2), with Créer un utilisateur's fields (R4).
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Créer un groupe").click())
    fill(driver, "code", "T3")
    fill(driver, "label", "CDAP T3")
    driver.find_element(By.ID, "newResponsible").click()
    fill(driver, "newSn", "LEGRAND")
    fill(driver, "newGivenName", "Sophie")
    fill(driver, "newMail", "sophie.legrand@commune-exemple.fr")
    fill(driver, "newMailConfirmation", "sophie.legrand@commune-exemple.fr")
    driver.find_element(By.ID, "newWorkMode-itinerant").click()
    Select(driver.find_element(By.ID, "newGroup")).select_by_value("T1")
    screen(driver, "05e-responsable-cree-sur-le-champ")
    click(driver, "form[action='/groupes/nouveau'] button[type=submit]")
    notice = text(driver)
    match = re.search(r"son responsable (\S+) a été créé", notice)
    step("the group T3 is created with its responsible created on the spot",
         match is not None and "T3" in driver.find_element(By.ID, "groupes").text, notice[:400])
    rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#groupes tbody tr") if row.text.startswith("T3")]
    step("the list shows the new user as T3's responsible", bool(rows) and match is not None and match.group(1) in rows[0],
         json.dumps(rows, ensure_ascii=False))
    screen(driver, "05f-groupe-et-responsable-crees")
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Créer un groupe").click())
    fill(driver, "code", "T9")
    fill(driver, "label", "Groupe à clôturer")
    click(driver, "form[action='/groupes/nouveau'] button[type=submit]")
    # Modifier le groupe (R2, R3): its libellé changed, a role assigned ("Assigner rôle") then removed.
    click(driver, "#modifier-T9")
    step("Modifier shows the group's level", driver.find_element(By.ID, "groupe-niveau").text == "1", text(driver)[:300])
    screen(driver, "05c-modifier-un-groupe")
    fill(driver, "label", "Groupe à clôturer (modifié)")
    click(driver, "#enregistrer-groupe")
    step("the group's libellé is saved", "Le groupe T9 a été modifié" in text(driver)
         and driver.find_element(By.ID, "label").get_attribute("value") == "Groupe à clôturer (modifié)", text(driver)[:300])
    Select(driver.find_element(By.ID, "role")).select_by_visible_text("CDAP/T1")
    click(driver, "#assigner-role")
    roles = driver.find_elements(By.ID, "roles")
    step("Assigner rôle adds CDAP/T1 to the group", bool(roles) and "CDAP/T1" in roles[0].text and "assigné" in text(driver), text(driver)[:400])
    screen(driver, "05d-role-assigne")
    click(driver, "#retirer-CDAP-T1")
    step("Retirer removes the role", driver.find_elements(By.ID, "aucun-role") and "retiré" in text(driver), text(driver)[:400])
    driver.get(PORTAL + "/groupes?convention=CONV-0606-001")
    click(driver, "#cloturer-T9")
    rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#groupes tbody tr") if row.text.startswith("T9")]
    step("a closed group shows Clôturé", rows and "Clôturé" in rows[0], json.dumps(rows, ensure_ascii=False))

    driver.get(PORTAL + "/utilisateurs?convention=CONV-0606-001")
    table = driver.find_element(By.ID, "utilisateurs").text
    step("Gestion des utilisateurs lists DUPUIS Martin", "XXX0606XX06" in table and "DUPUIS" in table)
    step("a closed user shows Désactivé and Clôturé", "Désactivé" in table and "Clôturé" in table, table)
    screen(driver, "06-gestion-des-utilisateurs")
    fill(driver, "f-nom", "DUP")
    click(driver, "form.filters button")
    filtered = driver.find_element(By.ID, "utilisateurs").text
    step("the Nom filter keeps DUPUIS and DUPONT only", "DUPUIS" in filtered and "DUPONT" in filtered and "LACROIX" not in filtered, filtered)

    # Créer un utilisateur, with a mistyped e-mail confirmation first (R4).
    driver.get(PORTAL + "/utilisateurs/nouveau?convention=CONV-0606-001")
    screen(driver, "07-creer-un-utilisateur")
    fill(driver, "sn", "MARTIN")
    fill(driver, "givenName", "Claire")
    fill(driver, "mail", "claire.martin@commune-exemple.fr")
    fill(driver, "mailConfirmation", "claire.martin@commune-exemple.com")
    fill(driver, "telephoneNumber", "0102030405")
    fill(driver, "telephoneConfirmation", "0102030405")
    driver.find_element(By.ID, "workMode-sedentary").click()
    Select(driver.find_element(By.ID, "group")).select_by_value("T2")
    click(driver, "form[action='/utilisateurs/nouveau'] button[type=submit]")
    error = driver.find_elements(By.ID, "mailConfirmation-erreur")
    step("a mistyped e-mail confirmation is shown next to its field",
         bool(error) and "différentes" in error[0].text and driver.find_element(By.ID, "mailConfirmation").get_attribute("aria-invalid") == "true",
         error[0].text if error else text(driver)[:400])
    screen(driver, "08-creer-un-utilisateur-erreur")
    fill(driver, "mailConfirmation", "claire.martin@commune-exemple.fr")
    click(driver, "form[action='/utilisateurs/nouveau'] button[type=submit]")
    notice = driver.find_element(By.CSS_SELECTOR, ".notice").text
    match = re.search(r"L'utilisateur (\S+) a été créé", notice)
    step("the user is created and its identifier shown", match is not None, notice)
    identifier = match.group(1)
    step("the list shows the new user", identifier in driver.find_element(By.ID, "utilisateurs").text)
    driver.get(PORTAL + "/groupes?convention=CONV-0606-001&utilisateur=" + identifier)
    step("the new user is attached to group T2", "T2" in driver.find_element(By.ID, "groupes").text)
    driver.get(PORTAL + "/utilisateurs?convention=CONV-0606-001&identifiant=" + identifier)
    screen(driver, "09-utilisateur-cree")
    # Modifier (R4): a new phone number typed twice; a mistyped confirmation is shown next to its field.
    click(driver, "#modifier-" + identifier)
    screen(driver, "09a-modifier-un-utilisateur")
    fill(driver, "telephoneNumber", "0102030406")
    fill(driver, "telephoneConfirmation", "0102030407")
    click(driver, "#enregistrer-utilisateur")
    error = driver.find_elements(By.ID, "telephoneConfirmation-erreur")
    step("a mistyped phone confirmation is shown next to its field", bool(error) and "R4" in error[0].text, error[0].text if error else text(driver)[:300])
    fill(driver, "telephoneConfirmation", "0102030406")
    click(driver, "#enregistrer-utilisateur")
    step("the user's new phone is saved", "a été modifié" in text(driver) and "0102030406" in driver.find_element(By.ID, "utilisateurs").text, text(driver)[:400])

    # CSRF: a form posted without its token is refused.
    driver.get(PORTAL + "/profil")
    driver.execute_script("document.querySelector(\"form[action='/profil'] input[name=csrf]\").remove()")
    click(driver, "form[action='/profil'] button[type=submit]")
    body = text(driver)
    step("a form posted without its CSRF token is refused", "Ce formulaire a expiré ou ne vient pas de ce portail" in body, body[:300])
    screen(driver, "10-csrf-refuse")
    driver.get(PORTAL + "/accueil")
    logout(driver)
    step("Déconnexion leads to the login page", "/connexion" in driver.current_url and "Vous êtes déconnecté" in text(driver))

    # The new user: the mailed temporary password, made to change it (R6).
    temporary = mailed_password("claire.martin@commune-exemple.fr")
    login(driver, PORTAL, identifier, temporary)
    step("a temporary password leads to the change form at once", driver.current_url.endswith("/mot-de-passe/changer"), driver.current_url)
    screen(driver, "11-changement-obligatoire")
    driver.get(PORTAL + "/accueil")
    step("nothing else is reachable before the change (R6)", driver.current_url.endswith("/mot-de-passe/changer"), driver.current_url)
    fill(driver, "actuel", temporary)
    fill(driver, "nouveau", "abc")
    fill(driver, "confirmation", "abc")
    click(driver, "form[action='/mot-de-passe/changer'] button[type=submit]")
    problems = driver.find_elements(By.ID, "nouveau-erreur")
    step("each failed quality criterion is named next to the field",
         bool(problems) and "12" in problems[0].text and "sortes de caractères" in problems[0].text,
         problems[0].text if problems else text(driver)[:400])
    screen(driver, "12-mot-de-passe-refuse")
    fill(driver, "actuel", temporary)
    fill(driver, "nouveau", "Portail-Bleu-Ciel-2026!")
    fill(driver, "confirmation", "Portail-Bleu-Ciel-2026!")
    click(driver, "form[action='/mot-de-passe/changer'] button[type=submit]")
    step("after the change the person reaches Bienvenue", driver.current_url.endswith("/accueil"), driver.current_url)
    body = text(driver)
    step("a person's menu has no habilitation management", "Gestion des habilitations" not in body and "Mon profil" in body, body[:300])
    screen(driver, "13-bienvenue-utilisateur")
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Mon profil").click())
    step("Mon profil shows the person's identifier", driver.find_element(By.ID, "profil-identifiant").text == identifier)
    screen(driver, "14-mon-profil")
    fill(driver, "displayName", "Claire M.")
    fill(driver, "telephoneNumber", "0601020304")
    click(driver, "form[action='/profil'] button[type=submit]")
    step("Mon profil saves the display name and the phone",
         "Votre profil a été enregistré" in text(driver) and driver.find_element(By.ID, "telephoneNumber").get_attribute("value") == "0601020304",
         text(driver)[:300])
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Règles d'usage").click())
    step("Règles d'usage shows the rules", "Ne partagez jamais" in text(driver))
    screen(driver, "15-regles-d-usage")
    logout(driver)
    login(driver, PORTAL, identifier, "Portail-Bleu-Ciel-2026!")
    step("the new password opens a normal session", driver.current_url.endswith("/accueil"), driver.current_url)
    logout(driver)

    # The administrator closes the new user (R7): the list shows "Désactivé" and "Clôturé"; then reopens it.
    login(driver, PORTAL, ADMIN, PASSWORD)
    driver.get(PORTAL + "/utilisateurs?convention=CONV-0606-001&identifiant=" + identifier)
    click(driver, "#cloturer-" + identifier)
    row = driver.find_element(By.ID, "utilisateurs").text
    step("a closed user is listed with Désactivé and Clôturé", "Désactivé" in row and "Clôturé" in row and "claire.martin" not in row, row)
    screen(driver, "15a-utilisateur-cloture")
    click(driver, "#reouvrir-" + identifier)
    row = driver.find_element(By.ID, "utilisateurs").text
    step("a reopened user shows its address again", "claire.martin@commune-exemple.fr" in row and "Ouvert" in row, row)
    # Autres actions: reset the password (mailed, never shown) and resend the identifier.
    before = mails_to("claire.martin@commune-exemple.fr")
    submit(driver, lambda: driver.find_element(By.ID, "actions-" + identifier).click())
    screen(driver, "15b-autres-actions")
    click(driver, "#reinitialiser")
    step("Réinitialiser le mot de passe mails a temporary password", "Un mot de passe provisoire a été envoyé" in text(driver), text(driver)[:300])
    click(driver, "#renvoyer-identifiant")
    step("Renvoyer l'identifiant mails the identifier", "L'identifiant a été renvoyé" in text(driver), text(driver)[:300])
    deadline = time.time() + 10
    while mails_to("claire.martin@commune-exemple.fr") < before + 2 and time.time() < deadline:
        time.sleep(0.3)
    step("both mails reached the Maildir", mails_to("claire.martin@commune-exemple.fr") >= before + 2)
    step("the page never shows the new password", mailed_password("claire.martin@commune-exemple.fr") not in driver.page_source)
    # Memberships (R5): the user's groups, attach to T1 with dates, close it.
    table = driver.find_element(By.ID, "rattachements").text
    step("the user's memberships list T2", "T2" in table, table)
    Select(driver.find_element(By.ID, "rattacher-groupe")).select_by_value("T1")
    fill(driver, "rattacher-ouverture", time.strftime("%d/%m/%Y", time.gmtime()))
    click(driver, "#rattacher")
    table = driver.find_element(By.ID, "rattachements").text
    step("the user is attached to T1", "rattaché au groupe T1" in text(driver) and "T1" in table, table)
    screen(driver, "15c-rattachements")
    click(driver, "#cloturer-rattachement-T1")
    rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#rattachements tbody tr") if row.text.startswith("T1")]
    step("the membership of T1 is closed", rows and "Clôturé" in rows[0], json.dumps(rows, ensure_ascii=False))
    click(driver, "#rattacher-a-nouveau-T1")
    step("an ended membership is attached again", "de nouveau rattaché au groupe T1" in text(driver), text(driver)[:300])
    # Historique (R11): the person's events with the old and new values.
    click(driver, "#historique-utilisateur")
    history = driver.find_element(By.ID, "historique").text
    step("the user's history shows its creation, its phone change and its memberships",
         "Création d'utilisateur" in history and "0102030405 → 0102030406" in history and "Nouveau rattachement" in history, history[:600])
    screen(driver, "15d-historique")
    driver.get(PORTAL + "/accueil")
    submit(driver, lambda: driver.find_element(By.LINK_TEXT, "Mes tableaux de bord").click())
    step("Mes tableaux de bord counts the convention's users", driver.find_element(By.ID, "utilisateurs-ouverts").text.isdigit(), text(driver)[:300])
    screen(driver, "15e-tableaux-de-bord")
    logout(driver)

    # Another partner's administrator reaches nothing of the demo partner: the same answer as a missing entry.
    login(driver, PORTAL, OTHER, OTHER_PASSWORD)
    step("the other partner's administrator logs in", driver.current_url.endswith("/accueil"), driver.current_url)
    answers = {}
    for path in ["/utilisateurs?convention=CONV-0606-001", "/utilisateurs?convention=CONV-9999-999",
                 "/groupes?convention=CONV-0606-001", "/groupes?convention=CONV-9999-999",
                 "/utilisateurs/nouveau?convention=CONV-0606-001",
                 "/groupes/modifier?convention=CONV-0606-001&code=T1", "/groupes/modifier?convention=CONV-2&code=T1",
                 "/utilisateurs/modifier?identifiant=XXX0606XX06", "/utilisateurs/modifier?identifiant=XXX9999XX99",
                 "/historique?convention=CONV-0606-001", "/tableaux-de-bord?convention=CONV-0606-001",
                 "/conventions/detail?convention=CONV-0606-001", "/conventions/detail?convention=CONV-9999-999"]:
        driver.get(PORTAL + path)
        found = driver.find_elements(By.ID, "message-erreur")
        answers[path] = found[0].text if found else "NO ERROR: " + text(driver)[:200]
    step("edited URLs give the same answer for the demo partner's convention and a missing one",
         len(set(answers.values())) == 1 and "n'existe pas ou ne vous est pas accessible" in next(iter(answers.values())),
         json.dumps(answers, ensure_ascii=False))
    screen(driver, "16-autre-partenaire-refuse")
    driver.get(PORTAL + "/utilisateurs?convention=CONV-2")
    body = text(driver)
    step("the other administrator's own list shows none of the demo partner's users", "XXX0606" not in body, body[:300])
    driver.get(PORTAL + "/utilisateurs/nouveau?convention=CONV-2")
    driver.execute_script("document.querySelector(\"input[name=convention]\").value = 'CONV-0606-001'")
    fill(driver, "sn", "INTRUS")
    fill(driver, "givenName", "Pierre")
    fill(driver, "mail", "pierre.intrus@commune-deux.fr")
    fill(driver, "mailConfirmation", "pierre.intrus@commune-deux.fr")
    driver.find_element(By.ID, "workMode-sedentary").click()
    click(driver, "form[action='/utilisateurs/nouveau'] button[type=submit]")
    found = driver.find_elements(By.ID, "message-erreur")
    step("an edited form field (the convention) reaches nothing either",
         bool(found) and found[0].text == next(iter(answers.values())), found[0].text if found else text(driver)[:300])
    driver.get(PORTAL + "/groupes/modifier?convention=CONV-2&code=G2")
    driver.execute_script("document.querySelector(\"form[action='/groupes/modifier'] input[name=convention]\").value = 'CONV-0606-001';"
                          "document.querySelector(\"form[action='/groupes/modifier'] input[name=code]\").value = 'T1'")
    fill(driver, "label", "Piraté")
    click(driver, "#enregistrer-groupe")
    found = driver.find_elements(By.ID, "message-erreur")
    step("an edited group form (convention and code) reaches nothing either",
         bool(found) and found[0].text == next(iter(answers.values())), found[0].text if found else text(driver)[:300])
    logout(driver)

    # Mot de passe oublié: the same answer whether or not the identifier exists.
    driver.get(PORTAL + "/mot-de-passe/oublie")
    screen(driver, "17-mot-de-passe-oublie")
    fill(driver, "identifiant", "XXX0606XX07")
    click(driver, "form[action='/mot-de-passe/oublie'] button[type=submit]")
    known = driver.find_element(By.ID, "forgot-sent").text
    fill(driver, "identifiant", "NOBODY0000")
    click(driver, "form[action='/mot-de-passe/oublie'] button[type=submit]")
    unknown = driver.find_element(By.ID, "forgot-sent").text
    step("forgot password answers the same for a known and an unknown identifier", known == unknown and known != "", f"{known!r} / {unknown!r}")
    driver.get(PORTAL + "/mot-de-passe/nouveau#CODE-FROM-THE-LINK")
    step("the recovery page fills the code in from the link's fragment", driver.find_element(By.ID, "code").get_attribute("value") == "CODE-FROM-THE-LINK")
    screen(driver, "18-nouveau-mot-de-passe")
    # The mailed link completes the recovery: the new password opens a session (R6).
    code = mailed_recovery_code("j.lacroix@partenaire.fr")
    driver.get(PORTAL + "/connexion")  # a new document: from the same page, a new fragment alone would not load it again
    driver.get(PORTAL + "/mot-de-passe/nouveau#" + code)
    filled = driver.find_element(By.ID, "code").get_attribute("value")
    step("the mailed link fills its code in", filled == urllib.parse.unquote(code), f"{filled!r} / {code!r}")
    fill(driver, "nouveau", "Recupere-Par-Le-Lien-2026")
    fill(driver, "confirmation", "Recupere-Par-Le-Lien-2026")
    click(driver, "form[action='/mot-de-passe/nouveau'] button[type=submit]")
    step("the recovery by the mailed link changes the password", "Votre mot de passe a été changé" in text(driver), text(driver)[:300])
    screen(driver, "18a-mot-de-passe-recupere")
    login(driver, PORTAL, "XXX0606XX07", "Recupere-Par-Le-Lien-2026")
    step("the recovered password opens a session", driver.current_url.endswith("/accueil"), driver.current_url)
    logout(driver)

    # The operator's screens: each listed, axe-checked, shot.
    login(driver, PORTAL, OPERATOR, PASSWORD)
    body = text(driver)
    step("the operator's menu has its catalogue entries",
         all(entry in body for entry in ["Les types de partenaires", "Mes organismes", "Services et profils", "Administrateurs", "Comptes applicatifs"]), body[:500])
    screen(driver, "20-bienvenue-operateur")
    for name, path, marker in [("21-types-de-partenaires", "/types-partenaires", "COMMUNE"), ("22-mes-organismes", "/organismes", "PART0606"),
                               ("23-services-et-profils", "/services", "CDAP"), ("24-detail-convention", "/conventions/detail?convention=CONV-0606-001", "CDAP/T1"),
                               ("25-creer-une-convention", "/conventions/nouvelle", "Numéro de convention"), ("26-administrateurs", "/administrateurs", ADMIN),
                               ("26a-utilisateurs-internes", "/internes", OPERATOR),
                               ("27-comptes-applicatifs", "/applications", "Créer un compte applicatif")]:
        driver.get(PORTAL + path)
        step(f"the operator's {path} shows {marker}", marker in text(driver), text(driver)[:300])
        screen(driver, name)
    fill(driver, "name", "appli-test")
    driver.find_element(By.ID, "service-CDAP").click()
    fill(driver, "password", "court")
    fill(driver, "passwordConfirmation", "court")
    click(driver, "#creer-application")
    error = driver.find_elements(By.ID, "password-erreur")
    step("a short application password is refused next to its field", bool(error) and "16" in error[0].text, text(driver)[:300])
    step("the refused password is not sent back in the page", "court" not in (driver.find_element(By.ID, "password").get_attribute("value") or ""))
    screen(driver, "27a-compte-applicatif-refuse")
    logout(driver)

    # An expired session goes back to the login page.
    login(driver, SHORT, ADMIN, PASSWORD)
    step("login on the short-session portal", driver.current_url.endswith("/accueil"), driver.current_url)
    time.sleep(IDLE + 1.5)
    driver.get(SHORT + "/utilisateurs")
    body = text(driver)
    step("an expired session goes back to the login page", "/connexion" in driver.current_url and "Votre session a expiré" in body, driver.current_url + " " + body[:200])
    screen(driver, "19-session-expiree")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    driver = browser()
    error = None
    try:
        story(driver)
    except Exception as exception:  # reported in the JSON, the test fails on it
        error = f"{exception}\n{traceback.format_exc()}"
        try:
            driver.save_screenshot(os.path.join(SHOTS, "zz-failure.png"))
        except Exception:
            pass
    finally:
        driver.quit()
    print(json.dumps({"steps": steps, "violations": violations, "error": error}, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
