// JNDI (the JDK's own LDAP client) over TLS against Annuaire, trusting only
// the server's certificate (an in-memory KeyStore built from CA_FILE):
// 1. ldap:// + StartTlsRequest, negotiate() with that trust, then a simple
//    bind over the protected connection (addToEnvironment) and the bound
//    identity read with Who am I (RFC 4532) and a base search of the entry;
// 2. ldaps:// through java.naming.ldap.factory.socket = a SocketFactory of
//    this file using the same SSLContext, a simple bind, Who am I.
//
// Run with the JDK's single-file source launcher: java StartTls.java
// Environment: LDAP_URL, LDAPS_PORT, CA_FILE (PEM), BIND_DN, BIND_PASSWORD.
// Prints one JSON object (snake_case keys) with what was observed; exits 0
// unless this program broke.

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.ExtendedRequest;
import javax.naming.ldap.ExtendedResponse;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.StartTlsRequest;
import javax.naming.ldap.StartTlsResponse;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class StartTls {
    static final String WHO_AM_I_OID = "1.3.6.1.4.1.4203.1.11.3";

    /// The SSLContext trusting only CA_FILE; set in main before any context is made.
    static volatile SSLContext pinned;

    public static void main(String[] args) throws Exception {
        String url = env("LDAP_URL");
        int ldapsPort = Integer.parseInt(env("LDAPS_PORT"));
        String bindDN = env("BIND_DN");
        String password = env("BIND_PASSWORD");
        pinned = sslContextTrusting(env("CA_FILE"));
        String host = URI.create(url).getHost();

        StringBuilder json = new StringBuilder("{");
        json.append("\"start_tls\":").append(startTls(url, bindDN, password));
        json.append(",\"ldaps\":").append(ldaps("ldaps://" + host + ":" + ldapsPort, bindDN, password));
        json.append("}");
        System.out.println(json);
    }

    /// 1. StartTLS on ldap://, then a simple bind over it.
    static String startTls(String url, String bindDN, String password) {
        StringBuilder json = new StringBuilder("{");
        boolean negotiated = false;
        boolean bound = false;
        String protocol = null;
        String whoAmI = null;
        String ownEntryUid = null;
        String error = null;
        LdapContext context = null;
        StartTlsResponse tls = null;
        try {
            Hashtable<String, Object> environment = new Hashtable<>();
            environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
            environment.put(Context.PROVIDER_URL, url);
            environment.put(Context.SECURITY_AUTHENTICATION, "none");
            environment.put("com.sun.jndi.ldap.connect.timeout", "10000");
            environment.put("com.sun.jndi.ldap.read.timeout", "30000");
            context = new InitialLdapContext(environment, null);
            tls = (StartTlsResponse) context.extendedOperation(new StartTlsRequest());
            SSLSession session = tls.negotiate(pinned.getSocketFactory());
            negotiated = true;
            protocol = session.getProtocol();
            // The JNDI way to bind after StartTLS: change the security properties;
            // the next operation binds again on the same (now protected) connection.
            context.addToEnvironment(Context.SECURITY_AUTHENTICATION, "simple");
            context.addToEnvironment(Context.SECURITY_PRINCIPAL, bindDN);
            context.addToEnvironment(Context.SECURITY_CREDENTIALS, password);
            whoAmI = whoAmI(context);
            bound = true;
            ownEntryUid = ownUid(context, bindDN);
        } catch (Exception exception) {
            error = describe(exception);
        } finally {
            try {
                if (tls != null) tls.close();
            } catch (IOException ignored) {
            }
            closeQuietly(context);
        }
        json.append("\"negotiated\":").append(negotiated);
        json.append(",\"protocol\":").append(quote(protocol));
        json.append(",\"bound\":").append(bound);
        json.append(",\"who_am_i\":").append(quote(whoAmI));
        json.append(",\"own_entry_uid\":").append(quote(ownEntryUid));
        json.append(",\"error\":").append(quote(error));
        return json.append("}").toString();
    }

    /// 2. ldaps:// with this file's SocketFactory.
    static String ldaps(String url, String bindDN, String password) {
        StringBuilder json = new StringBuilder("{");
        boolean bound = false;
        String whoAmI = null;
        String ownEntryUid = null;
        String error = null;
        LdapContext context = null;
        try {
            Hashtable<String, Object> environment = new Hashtable<>();
            environment.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
            environment.put(Context.PROVIDER_URL, url);
            environment.put(Context.SECURITY_AUTHENTICATION, "simple");
            environment.put(Context.SECURITY_PRINCIPAL, bindDN);
            environment.put(Context.SECURITY_CREDENTIALS, password);
            environment.put("java.naming.ldap.factory.socket", PinnedSocketFactory.class.getName());
            environment.put("com.sun.jndi.ldap.connect.timeout", "10000");
            environment.put("com.sun.jndi.ldap.read.timeout", "30000");
            // JNDI loads that class through the thread's context class loader, which
            // under the source launcher is not the in-memory loader holding this file.
            Thread.currentThread().setContextClassLoader(StartTls.class.getClassLoader());
            context = new InitialLdapContext(environment, null);
            bound = true;
            whoAmI = whoAmI(context);
            ownEntryUid = ownUid(context, bindDN);
        } catch (Exception exception) {
            error = describe(exception);
        } finally {
            closeQuietly(context);
        }
        json.append("\"bound\":").append(bound);
        json.append(",\"socket_factory_used\":").append(PinnedSocketFactory.sockets > 0);
        json.append(",\"protocol\":").append(quote(PinnedSocketFactory.lastProtocol));
        json.append(",\"who_am_i\":").append(quote(whoAmI));
        json.append(",\"own_entry_uid\":").append(quote(ownEntryUid));
        json.append(",\"error\":").append(quote(error));
        return json.append("}").toString();
    }

    /// Who am I (RFC 4532): no request value; the response value is the authzId itself.
    static String whoAmI(LdapContext context) throws NamingException {
        ExtendedResponse response = context.extendedOperation(new WhoAmIRequest());
        byte[] value = response.getEncodedValue();
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    /// A base search of the bound user's own entry.
    static String ownUid(LdapContext context, String dn) throws NamingException {
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.OBJECT_SCOPE);
        controls.setReturningAttributes(new String[] { "uid" });
        NamingEnumeration<SearchResult> results = context.search(dn, "(objectClass=*)", controls);
        String uid = null;
        while (results.hasMore()) {
            Attribute attribute = results.next().getAttributes().get("uid");
            if (attribute != null) uid = String.valueOf(attribute.get());
        }
        results.close();
        return uid;
    }

    static final class WhoAmIRequest implements ExtendedRequest {
        public String getID() { return WHO_AM_I_OID; }
        public byte[] getEncodedValue() { return null; }
        public ExtendedResponse createExtendedResponse(String id, byte[] berValue, int offset, int length) {
            byte[] value = berValue == null ? null : java.util.Arrays.copyOfRange(berValue, offset, offset + length);
            return new ExtendedResponse() {
                public String getID() { return id; }
                public byte[] getEncodedValue() { return value; }
            };
        }
    }

    /// Named by java.naming.ldap.factory.socket: JNDI calls its static getDefault().
    public static final class PinnedSocketFactory extends SocketFactory {
        static volatile int sockets = 0;
        static volatile String lastProtocol = null;

        public static SocketFactory getDefault() { return new PinnedSocketFactory(); }

        /// Counts the socket and records the TLS version once its handshake is done.
        private Socket track(Socket socket) {
            sockets++;
            if (socket instanceof SSLSocket ssl) {
                ssl.addHandshakeCompletedListener(event -> lastProtocol = event.getSession().getProtocol());
            }
            return socket;
        }

        // JNDI calls this one (then connect with its timeout) when it exists.
        @Override public Socket createSocket() throws IOException {
            return track(pinned.getSocketFactory().createSocket());
        }
        @Override public Socket createSocket(String host, int port) throws IOException {
            return track(pinned.getSocketFactory().createSocket(host, port));
        }
        @Override public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return track(pinned.getSocketFactory().createSocket(host, port, localHost, localPort));
        }
        @Override public Socket createSocket(InetAddress host, int port) throws IOException {
            return track(pinned.getSocketFactory().createSocket(host, port));
        }
        @Override public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return track(pinned.getSocketFactory().createSocket(address, port, localAddress, localPort));
        }
    }

    /// An SSLContext whose only trust anchors are the certificates of the PEM file.
    static SSLContext sslContextTrusting(String pemFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        int index = 0;
        try (InputStream input = new FileInputStream(pemFile)) {
            for (Certificate certificate : factory.generateCertificates(input)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
        }
        if (index == 0) throw new IllegalStateException("no certificate in " + pemFile);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /// The exception and its causes (JNDI wraps the TLS failure in a CommunicationException).
    static String describe(Throwable exception) {
        StringBuilder out = new StringBuilder();
        for (Throwable current = exception; current != null; current = current.getCause()) {
            if (out.length() > 0) out.append(" <- ");
            out.append(current.getClass().getName()).append(": ").append(current.getMessage());
            if (current.getCause() == current) break;
        }
        return out.toString();
    }

    static void closeQuietly(Context context) {
        if (context == null) return;
        try {
            context.close();
        } catch (NamingException ignored) {
        }
    }

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) throw new IllegalStateException("missing environment variable " + name);
        return value;
    }

    static String quote(String value) {
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
