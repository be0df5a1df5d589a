// What Keycloak's LDAP user federation does (org.keycloak.storage.ldap:
// LDAPOperationManager, LDAPIdentityStore, the group-ldap-mapper), in plain
// JNDI as Keycloak itself uses it, against Annuaire. One phase per run:
//
//   PHASE=register  as the read-only application account: the paged user
//                   search of a full sync; as the operator (Keycloak in WRITABLE
//                   mode): add a user, read its entryUUID back, the changed-users
//                   sync (|(createTimestamp>=T)(modifyTimestamp>=T)), Keycloak's
//                   own admin password set (Password Modify with a new password,
//                   refused by R6), then a reset without one (mailed).
//   PHASE=login     bind as the new user with the mailed temporary password and
//                   the password policy control (changeAfterReset expected),
//                   Password Modify as the user (old -> new), bind again; group
//                   lookups as the application: memberOf on the user, member on
//                   the group, (memberOf=G) and (member=DN) searches.
//
// Environment: LDAP_URL, PHASE, APP_DN, APP_PASSWORD, OPERATOR_DN, OPERATOR_PASSWORD,
// USERS_BASE, GROUPS_BASE, GROUP_DN, MEMBER_DN, PAGE_SIZE, SYNC_SINCE (GeneralizedTime),
// NEW_UID, NEW_MAIL; for login: TEMPORARY_PASSWORD, NEW_PASSWORD.
// Run with: java KeycloakFederation.java. Prints one JSON object.

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.BasicControl;
import javax.naming.ldap.Control;
import javax.naming.ldap.ExtendedRequest;
import javax.naming.ldap.ExtendedResponse;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.PagedResultsControl;
import javax.naming.ldap.PagedResultsResponseControl;

public class KeycloakFederation {
    static final String PPOLICY_OID = "1.3.6.1.4.1.42.2.27.8.5.1";
    static final String PASSWORD_MODIFY_OID = "1.3.6.1.4.1.4203.1.11.1";
    static final String[] PPOLICY_ERRORS = {
        "passwordExpired", "accountLocked", "changeAfterReset", "passwordModNotAllowed", "mustSupplyOldPassword",
        "insufficientPasswordQuality", "passwordTooShort", "passwordTooYoung", "passwordInHistory" };

    public static void main(String[] args) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        String phase = env("PHASE");
        if (phase.equals("register")) register(report); else login(report);
        System.out.println(Json.of(report));
    }

    // MARK: - Phase 1

    static void register(Map<String, Object> report) throws Exception {
        String users = env("USERS_BASE");
        // 1. Full sync as the read-only application account: a paged search (Keycloak's "pagination" on).
        LdapContext app = connect(env("APP_DN"), env("APP_PASSWORD"), null);
        report.put("paged", pagedSearch(app, users, "(&(uid=*)(objectClass=inetOrgPerson))", Integer.parseInt(env("PAGE_SIZE"))));
        app.close();

        // 2. Registration in WRITABLE mode, as the operator.
        LdapContext operator = connect(env("OPERATOR_DN"), env("OPERATOR_PASSWORD"), null);
        String uid = env("NEW_UID");
        String dn = "uid=" + uid + "," + users;
        Attributes attributes = new BasicAttributes(true);
        Attribute classes = new BasicAttribute("objectClass");
        for (String c : new String[] { "inetOrgPerson", "organizationalPerson", "person", "top" }) classes.add(c);
        attributes.put(classes);
        attributes.put("uid", uid);
        attributes.put("cn", "Keycloak Federated");
        attributes.put("sn", "FEDERATED");
        attributes.put("givenName", "Keycloak");
        attributes.put("mail", env("NEW_MAIL"));
        Map<String, Object> add = new LinkedHashMap<>();
        try {
            operator.createSubcontext(dn, attributes).close();
            add.put("added", true);
        } catch (NamingException error) {
            add.put("added", false);
            add.put("error", error.getMessage());
        }
        // 3. The UUID Keycloak stores as the LDAP_ID of its user, read back by DN.
        Map<String, String> readBack = readOne(operator, dn, new String[] { "entryUUID", "createTimestamp" });
        add.put("entry_uuid", readBack.get("entryUUID"));
        add.put("create_timestamp", readBack.get("createTimestamp"));
        report.put("add", add);

        // 4. Changed-users sync since T.
        String since = env("SYNC_SINCE");
        String changedFilter = "(&(objectClass=inetOrgPerson)(|(createTimestamp>=" + since + ")(modifyTimestamp>=" + since + ")))";
        report.put("changed", uids(operator, users, changedFilter));

        // 5. Keycloak's own password update: Password Modify with userIdentity and newPasswd on the admin connection.
        report.put("admin_set_password", passwordModify(operator, dn, null, "Chosen-By-Keycloak-2026"));
        // 6. What Annuaire does instead (R6): a reset without a new password, mailed to the person.
        report.put("admin_reset", passwordModify(operator, dn, null, null));
        operator.close();
    }

    // MARK: - Phase 2

    static void login(Map<String, Object> report) throws Exception {
        String dn = "uid=" + env("NEW_UID") + "," + env("USERS_BASE");
        String temporary = env("TEMPORARY_PASSWORD");
        String fresh = env("NEW_PASSWORD");
        // 7. Keycloak binds with the password policy request control and reads the bind's response control.
        report.put("temporary_bind", ppolicyBind(dn, temporary));
        // 8. The "update password" step: Password Modify as the user, old and new.
        Map<String, Object> change = new LinkedHashMap<>();
        try {
            LdapContext self = connect(dn, temporary, null);
            change.putAll(passwordModify(self, null, temporary, fresh));
            self.close();
        } catch (NamingException error) {
            change.put("ok", false);
            change.put("error", error.getMessage());
        }
        report.put("self_change", change);
        report.put("new_password_bind", ppolicyBind(dn, fresh));
        report.put("temporary_after_change", ppolicyBind(dn, temporary));

        // 9. Group mappers, as the application account.
        LdapContext app = connect(env("APP_DN"), env("APP_PASSWORD"), null);
        String member = env("MEMBER_DN");
        String group = env("GROUP_DN");
        Map<String, Object> groups = new LinkedHashMap<>();
        groups.put("member_of_attribute", values(app, member, "memberOf"));                 // GET_GROUPS_FROM_USER_MEMBEROF_ATTRIBUTE
        groups.put("group_member_attribute", values(app, group, "member"));                 // LOAD_GROUPS_BY_MEMBER_ATTRIBUTE
        groups.put("users_by_member_of", uids(app, env("USERS_BASE"), "(&(objectClass=inetOrgPerson)(memberOf=" + group + "))"));
        groups.put("groups_by_member", cns(app, env("GROUPS_BASE"), "(&(objectClass=annGroup)(member=" + member + "))"));
        report.put("groups", groups);
        app.close();
    }

    // MARK: - LDAP helpers

    static LdapContext connect(String dn, String password, Control[] connectControls) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, env("LDAP_URL"));
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dn);
        env.put(Context.SECURITY_CREDENTIALS, password);
        env.put("java.naming.ldap.attributes.binary", "entryUUID");  // Keycloak reads non-AD UUIDs as strings; keep the raw bytes
        env.put("com.sun.jndi.ldap.connect.timeout", "10000");
        env.put("com.sun.jndi.ldap.read.timeout", "30000");
        return new InitialLdapContext(env, connectControls);
    }

    /** A bind with the ppolicy request control; the error of its response control, if any. */
    static Map<String, Object> ppolicyBind(String dn, String password) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            LdapContext context = connect(dn, password, new Control[] { new BasicControl(PPOLICY_OID) });
            out.put("bound", true);
            out.putAll(ppolicy(context.getResponseControls()));
            context.close();
        } catch (NamingException error) {
            out.put("bound", false);
            out.put("code", ldapCode(error.getMessage()));
            out.put("message", error.getMessage());
        }
        return out;
    }

    /** PasswordPolicyResponseValue ::= SEQUENCE { warning [0] ... OPTIONAL, error [1] ENUMERATED OPTIONAL } */
    static Map<String, Object> ppolicy(Control[] controls) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ppolicy_control", false);
        if (controls == null) return out;
        for (Control control : controls) {
            if (!control.getID().equals(PPOLICY_OID)) continue;
            out.put("ppolicy_control", true);
            byte[] v = control.getEncodedValue();
            if (v == null || v.length < 2 || v[0] != 0x30) return out;
            int i = 2;
            while (i + 1 < v.length) {
                int tag = v[i] & 0xff;
                int length = v[i + 1] & 0xff;
                if (tag == 0x81 && length == 1 && i + 2 < v.length) {
                    int error = v[i + 2] & 0xff;
                    out.put("ppolicy_error", error < PPOLICY_ERRORS.length ? PPOLICY_ERRORS[error] : "error " + error);
                }
                i += 2 + length;
            }
        }
        return out;
    }

    /** RFC 3062 PasswdModifyRequestValue ::= SEQUENCE { userIdentity [0], oldPasswd [1], newPasswd [2] } (all optional). */
    static Map<String, Object> passwordModify(LdapContext context, String identity, String oldPassword, String newPassword) {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        writeField(fields, 0x80, identity);
        writeField(fields, 0x81, oldPassword);
        writeField(fields, 0x82, newPassword);
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        value.write(0x30);
        writeLength(value, fields.size());
        value.writeBytes(fields.toByteArray());
        byte[] encoded = value.toByteArray();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            context.extendedOperation(new ExtendedRequest() {
                public String getID() { return PASSWORD_MODIFY_OID; }
                public byte[] getEncodedValue() { return encoded; }
                public ExtendedResponse createExtendedResponse(String id, byte[] berValue, int offset, int length) {
                    return new ExtendedResponse() {
                        public String getID() { return id; }
                        public byte[] getEncodedValue() { return berValue; }
                    };
                }
            });
            out.put("ok", true);
        } catch (NamingException error) {
            out.put("ok", false);
            out.put("code", ldapCode(error.getMessage()));
            out.put("message", error.getMessage());
        }
        return out;
    }

    static void writeField(ByteArrayOutputStream out, int tag, String value) {
        if (value == null) return;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(tag);
        writeLength(out, bytes.length);
        out.writeBytes(bytes);
    }

    static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 128) { out.write(length); return; }
        if (length < 256) { out.write(0x81); out.write(length); return; }
        out.write(0x82); out.write(length >> 8); out.write(length & 0xff);
    }

    static Map<String, Object> pagedSearch(LdapContext context, String base, String filter, int pageSize) throws Exception {
        List<Integer> pageEntries = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        byte[] cookie = null;
        String error = null;
        SearchControls controls = subtree(new String[] { "uid", "entryUUID", "createTimestamp", "modifyTimestamp" });
        try {
            context.setRequestControls(new Control[] { new PagedResultsControl(pageSize, Control.CRITICAL) });
            do {
                int count = 0;
                NamingEnumeration<SearchResult> results = context.search(base, filter, controls);
                while (results.hasMore()) {
                    Attribute uid = results.next().getAttributes().get("uid");
                    if (uid != null) uids.add(String.valueOf(uid.get()));
                    count++;
                }
                pageEntries.add(count);
                cookie = null;
                Control[] response = context.getResponseControls();
                if (response != null) for (Control c : response) if (c instanceof PagedResultsResponseControl p) cookie = p.getCookie();
                if (cookie != null && cookie.length > 0) {
                    context.setRequestControls(new Control[] { new PagedResultsControl(pageSize, cookie, Control.CRITICAL) });
                }
            } while (cookie != null && cookie.length > 0 && pageEntries.size() < 100);
        } catch (NamingException e) {
            error = e.getMessage();
        } finally {
            context.setRequestControls(null);
        }
        Collections.sort(uids);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page_entries", pageEntries);
        out.put("uids", uids);
        out.put("error", error);
        return out;
    }

    static SearchControls subtree(String[] attributes) {
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
        controls.setReturningAttributes(attributes);
        return controls;
    }

    static List<String> uids(LdapContext context, String base, String filter) throws NamingException {
        return collect(context, base, filter, "uid");
    }

    static List<String> cns(LdapContext context, String base, String filter) throws NamingException {
        return collect(context, base, filter, "cn");
    }

    static List<String> collect(LdapContext context, String base, String filter, String attribute) throws NamingException {
        List<String> out = new ArrayList<>();
        NamingEnumeration<SearchResult> results = context.search(base, filter, subtree(new String[] { attribute }));
        while (results.hasMore()) {
            Attribute value = results.next().getAttributes().get(attribute);
            if (value != null) out.add(String.valueOf(value.get()));
        }
        Collections.sort(out);
        return out;
    }

    static Map<String, String> readOne(LdapContext context, String dn, String[] attributes) throws NamingException {
        Map<String, String> out = new LinkedHashMap<>();
        Attributes found = context.getAttributes(dn, attributes);
        for (String name : attributes) {
            Attribute attribute = found.get(name);
            if (attribute == null) continue;
            Object value = attribute.get();
            out.put(name, value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value));
        }
        return out;
    }

    static List<String> values(LdapContext context, String dn, String attribute) throws NamingException {
        List<String> out = new ArrayList<>();
        Attribute found = context.getAttributes(dn, new String[] { attribute }).get(attribute);
        if (found != null) for (int i = 0; i < found.size(); i++) out.add(String.valueOf(found.get(i)));
        Collections.sort(out);
        return out;
    }

    static Integer ldapCode(String message) {
        if (message == null) return null;
        Matcher matcher = Pattern.compile("\\[LDAP: error code (\\d+)").matcher(message);
        return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null) throw new IllegalStateException("missing environment variable " + name);
        return value;
    }

    /** Just enough JSON for maps, lists, strings, numbers and booleans. */
    static final class Json {
        static String of(Object value) {
            if (value == null) return "null";
            if (value instanceof Boolean || value instanceof Number) return value.toString();
            if (value instanceof Map<?, ?> map) {
                StringBuilder out = new StringBuilder("{");
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (out.length() > 1) out.append(',');
                    out.append(of(String.valueOf(entry.getKey()))).append(':').append(of(entry.getValue()));
                }
                return out.append('}').toString();
            }
            if (value instanceof List<?> list) {
                StringBuilder out = new StringBuilder("[");
                for (Object item : list) {
                    if (out.length() > 1) out.append(',');
                    out.append(of(item));
                }
                return out.append(']').toString();
            }
            StringBuilder out = new StringBuilder("\"");
            for (char c : value.toString().toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> { if (c < 0x20) out.append(String.format("\\u%04x", (int) c)); else out.append(c); }
                }
            }
            return out.append('"').toString();
        }
    }
}
