// JNDI (the JDK's own LDAP client) binding with the password policy request
// control (draft-behera-ldap-password-policy, 1.3.6.1.4.1.42.2.27.8.5.1) as
// Keycloak's LDAP federation does: the control is sent with the bind
// (InitialLdapContext's connection controls) and the bind's response
// controls are read with getResponseControls(), their BER decoded here:
//   PasswordPolicyResponseValue ::= SEQUENCE {
//     warning [0] CHOICE { timeBeforeExpiration [0] INTEGER, graceAuthNsRemaining [1] INTEGER } OPTIONAL,
//     error   [1] ENUMERATED { passwordExpired(0), accountLocked(1), changeAfterReset(2), ... } OPTIONAL }
// A failed bind is an AuthenticationException whose LDAP code is read from
// its message; JNDI gives no response controls for a failed bind.
//
// Run with the JDK's single-file source launcher: java PasswordPolicyBind.java
// Environment: LDAP_URL. Standard input: one "DN<TAB>password" per line.
// Prints a JSON array, one object per line of input; exits 0 unless this program broke.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.ldap.BasicControl;
import javax.naming.ldap.Control;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;

public class PasswordPolicyBind {
    static final String OID = "1.3.6.1.4.1.42.2.27.8.5.1";
    static final String[] ERRORS = {"passwordExpired", "accountLocked", "changeAfterReset", "passwordModNotAllowed",
        "mustSupplyOldPassword", "insufficientPasswordQuality", "passwordTooShort", "passwordTooYoung", "passwordInHistory"};

    public static void main(String[] args) throws Exception {
        String url = System.getenv("LDAP_URL");
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> reports = new ArrayList<>();
        String line;
        while ((line = input.readLine()) != null) {
            if (line.isEmpty()) continue;
            String[] parts = line.split("\t", 2);
            reports.add(bind(url, parts[0], parts[1]));
        }
        System.out.println("[" + String.join(",", reports) + "]");
    }

    static String bind(String url, String dn, String password) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dn);
        env.put(Context.SECURITY_CREDENTIALS, password);
        env.put("com.sun.jndi.ldap.connect.timeout", "10000");
        env.put("com.sun.jndi.ldap.read.timeout", "10000");
        Control[] request = {new BasicControl(OID, false, null)};
        try {
            LdapContext context = new InitialLdapContext(env, request);
            String policy = "null";
            boolean present = false;
            Control[] response = context.getResponseControls();
            if (response != null) {
                for (Control control : response) {
                    if (OID.equals(control.getID())) {
                        present = true;
                        policy = decodeError(control.getEncodedValue());
                    }
                }
            }
            context.close();
            return "{\"dn\":\"" + dn + "\",\"result\":0,\"control_present\":" + present + ",\"error\":" + policy + "}";
        } catch (AuthenticationException e) {
            return "{\"dn\":\"" + dn + "\",\"result\":" + code(e) + ",\"control_present\":false,\"error\":null}";
        } catch (NamingException e) {
            return "{\"dn\":\"" + dn + "\",\"result\":" + code(e) + ",\"control_present\":false,\"error\":null,\"exception\":\""
                + e.getClass().getSimpleName() + "\"}";
        }
    }

    /// The LDAP result code JNDI puts in its message ("[LDAP: error code 49 - ...]"), or -1.
    static int code(NamingException e) {
        Matcher m = Pattern.compile("error code (\\d+)").matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /// The error name in a PasswordPolicyResponseValue, as a JSON string or null.
    static String decodeError(byte[] value) {
        if (value == null || value.length < 2 || (value[0] & 0xff) != 0x30) return "null";
        int end = 2 + (value[1] & 0xff);
        int i = 2;
        while (i + 1 < end && i + 1 < value.length) {
            int tag = value[i] & 0xff;
            int length = value[i + 1] & 0xff;
            if (tag == 0x81 && length >= 1) {
                int error = value[i + 2 + length - 1] & 0xff;
                return error < ERRORS.length ? "\"" + ERRORS[error] + "\"" : "\"unknown-" + error + "\"";
            }
            i += 2 + length;
        }
        return "null";
    }
}
