// JNDI (the JDK's own LDAP client) against Annuaire: a simple bind through
// InitialLdapContext, a paged search (RFC 2696, PagedResultsControl marked
// critical) looped on the response cookie, and a wrong-password bind.
//
// Run with the JDK's single-file source launcher: java PagedSearch.java
// Environment: LDAP_URL, BIND_DN, BIND_PASSWORD, BASE_DN_PEOPLE,
// optionally PAGE_SIZE (default 2) and SEARCH_FILTER (default (objectClass=inetOrgPerson)).
// Prints one JSON object with what was observed; exits 0 unless this program broke.

import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.Control;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.PagedResultsControl;
import javax.naming.ldap.PagedResultsResponseControl;

public class PagedSearch {
    private static final int MAX_PAGES = 100;  // a cookie that never ends must not hang the test

    public static void main(String[] args) throws Exception {
        String url = env("LDAP_URL");
        String bindDN = env("BIND_DN");
        String password = env("BIND_PASSWORD");
        String people = env("BASE_DN_PEOPLE");
        int pageSize = Integer.parseInt(System.getenv().getOrDefault("PAGE_SIZE", "2"));
        String filter = System.getenv().getOrDefault("SEARCH_FILTER", "(objectClass=inetOrgPerson)");

        StringBuilder json = new StringBuilder("{");
        json.append("\"page_size\":").append(pageSize);

        // 1. The paged search.
        List<Integer> pageEntries = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        int pagesWithResponseControl = 0;
        boolean bound = false;
        String pagedError = null;
        Integer pagedErrorCode = null;
        byte[] cookie = null;
        LdapContext context = null;
        try {
            context = new InitialLdapContext(environment(url, bindDN, password), null);
            bound = true;
            context.setRequestControls(new Control[] { new PagedResultsControl(pageSize, Control.CRITICAL) });
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setReturningAttributes(new String[] { "uid" });
            do {
                int count = 0;
                NamingEnumeration<SearchResult> results = context.search(people, filter, controls);
                while (results.hasMore()) {
                    SearchResult result = results.next();
                    count++;
                    Attribute uid = result.getAttributes().get("uid");
                    if (uid != null) uids.add(String.valueOf(uid.get()));
                }
                results.close();
                pageEntries.add(count);
                cookie = null;
                Control[] response = context.getResponseControls();
                if (response != null) {
                    for (Control control : response) {
                        if (control instanceof PagedResultsResponseControl paged) {
                            pagesWithResponseControl++;
                            cookie = paged.getCookie();
                        }
                    }
                }
                if (cookie != null && cookie.length > 0) {
                    context.setRequestControls(new Control[] { new PagedResultsControl(pageSize, cookie, Control.CRITICAL) });
                }
            } while (cookie != null && cookie.length > 0 && pageEntries.size() < MAX_PAGES);
        } catch (NamingException error) {
            pagedError = error.getClass().getSimpleName() + ": " + error.getMessage();
            pagedErrorCode = ldapCode(error.getMessage());
        } finally {
            if (context != null) context.close();
        }
        Collections.sort(uids);
        int entries = pageEntries.stream().mapToInt(Integer::intValue).sum();
        json.append(",\"bound\":").append(bound);
        json.append(",\"paged\":{");
        json.append("\"entries\":").append(entries);
        json.append(",\"pages\":").append(pageEntries.size());
        json.append(",\"page_entries\":").append(pageEntries);
        json.append(",\"pages_with_response_control\":").append(pagesWithResponseControl);
        json.append(",\"ended_with_empty_cookie\":").append(cookie == null || cookie.length == 0);
        json.append(",\"uids\":").append(stringArray(uids));
        json.append(",\"error\":").append(string(pagedError));
        json.append(",\"error_code\":").append(pagedErrorCode);
        json.append("}");

        // 2. A wrong password.
        String failureClass = null;
        String failureMessage = null;
        try {
            new InitialLdapContext(environment(url, bindDN, password + "-wrong"), null).close();
        } catch (NamingException error) {
            failureClass = error.getClass().getName();
            failureMessage = error.getMessage();
        }
        json.append(",\"wrong_password\":{");
        json.append("\"exception\":").append(string(failureClass));
        json.append(",\"authentication_exception\":").append(failureClass != null && failureClass.equals(AuthenticationException.class.getName()));
        json.append(",\"message\":").append(string(failureMessage));
        json.append(",\"code\":").append(ldapCode(failureMessage));
        json.append("}");

        json.append("}");
        System.out.println(json);
    }

    private static Hashtable<String, Object> environment(String url, String dn, String password) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dn);
        env.put(Context.SECURITY_CREDENTIALS, password);
        env.put("com.sun.jndi.ldap.connect.timeout", "10000");
        env.put("com.sun.jndi.ldap.read.timeout", "30000");
        return env;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) throw new IllegalStateException("missing environment variable " + name);
        return value;
    }

    /** The N of "[LDAP: error code N - ...", or null. */
    private static Integer ldapCode(String message) {
        if (message == null) return null;
        Matcher matcher = Pattern.compile("\\[LDAP: error code (\\d+)").matcher(message);
        return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
    }

    private static String stringArray(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            out.append(string(values.get(i)));
        }
        return out.append(']').toString();
    }

    private static String string(String value) {
        if (value == null) return "null";
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
