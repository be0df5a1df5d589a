# Annuaire: the two commands of the README.
#   make run   build and start the server on its own slapd with the demo directory
#   make test  run the whole test suite (needs and installs slapd and ldap-utils)
# And for operators (docs/operations.md):
#   make install PREFIX=/usr/local   release build installed with its Schema/ and Fixtures/
#   make deb                         the Debian package, in dist/

SWIFT    ?= swift
CONFIG   ?= debug
LISTEN   ?= 127.0.0.1:3389
# The partner web portal (issue #17), HTTPS with the LDAPS certificate.
PORTAL_LISTEN ?= 127.0.0.1:8443
DATA_DIR ?= ./annuaire-data
BIN      := .build/$(CONFIG)/annuaire
PREFIX   ?= /usr/local
DESTDIR  ?=
# The version the package and `annuaire --version` carry (AnnuaireVersion.current).
VERSION  := $(shell sed -n 's/.*public static let current = "\(.*\)"/\1/p' Sources/DirectoryServer/ServerConfiguration.swift)

# Debian packages the build and the server need.
DEB_PACKAGES := slapd ldap-utils libldap2-dev libsasl2-dev libssl-dev libcurl4-openssl-dev pkg-config
# And those only the tests need (interop clients, TLS checks).
DEB_TEST_PACKAGES := python3 python3-pip openssl curl util-linux systemd
# The portal's browser tests (issue #17): headless Chromium and its WebDriver.
DEB_BROWSER_PACKAGES := chromium chromium-driver
# The real products of the integration recipes (Tests/IntegrationTests): installed without
# starting their daemons and without touching /etc/nsswitch.conf (see install-products).
DEB_PRODUCT_PACKAGES := apache2 nslcd libnss-ldapd

.PHONY: run test build deps test-deps install-debian install-products clean-test-leftovers bench-smoke install deb test-package

## deps: install the Debian packages that are missing (as root, or through sudo).
deps:
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(DEB_PACKAGES)"

install-debian:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## test-deps: what the tests add: python ldap3, python-ldap, aiosmtpd and django-auth-ldap, a JDK
## for JNDI, openssl, curl, and the products of the integration recipes (apache2, nslcd).
test-deps: deps
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(DEB_TEST_PACKAGES)"
	@# Interop clients: python ldap3 and python-ldap (PyPI, or Debian's packages where pip may not
	@# install into the system python), and a JDK for the JNDI tests.
	@python3 -c 'import ldap3, ldap, aiosmtpd' 2>/dev/null || { \
	  echo "Installing python packages: ldap3 python-ldap aiosmtpd"; \
	  python3 -m pip install --quiet ldap3 python-ldap aiosmtpd 2>/dev/null || { \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-ldap3 python3-ldap python3-aiosmtpd >/dev/null; }; }
	@# django-auth-ldap for its recipe (PyPI, or Debian's package).
	@python3 -c 'import django_auth_ldap' 2>/dev/null || { \
	  echo "Installing python package: django-auth-ldap"; \
	  python3 -m pip install --quiet django-auth-ldap 2>/dev/null || { \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-django-auth-ldap >/dev/null; }; }
	@$(MAKE) --no-print-directory install-products
	@# Portal browser tests: Debian's chromium and chromium-driver, Selenium and axe-selenium-python from PyPI.
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(DEB_BROWSER_PACKAGES)"
	@python3 -c 'import selenium, axe_selenium_python' 2>/dev/null || { \
	  echo "Installing python packages: selenium axe-selenium-python"; \
	  python3 -m pip install --quiet selenium axe-selenium-python; }
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a JDK for the JNDI tests"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jdk-headless >/dev/null; }

## install-products: apache2, nslcd and libnss-ldapd, with no daemon started (a policy-rc.d that
## says no, unless the machine has one) and no service added to /etc/nsswitch.conf (the recipes
## run nslcd in a private mount namespace with their own nsswitch.conf).
install-products:
	@missing=""; \
	for p in $(DEB_PRODUCT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the integration recipes:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  guard=""; if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '#!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null && $$SUDO chmod 755 /usr/sbin/policy-rc.d && guard=1; fi; \
	  echo "libnss-ldapd libnss-ldapd/nsswitch multiselect" | $$SUDO debconf-set-selections; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  status=$$?; [ -z "$$guard" ] || $$SUDO rm -f /usr/sbin/policy-rc.d; exit $$status; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product annuaire

## run: the server on 127.0.0.1:3389 with its embedded slapd and the demo data; Ctrl-C stops it.
run: build
	$(BIN) serve --demo --listen $(LISTEN) --data-dir $(DATA_DIR) --portal-listen $(PORTAL_LISTEN)

## cluster: several machines on this one (README, "Several machines"): 2 OpenLDAP providers in
## multi-provider syncrepl (whole entries; SYNC=delta for delta-syncrepl) and 2 front-ends with the ordered --backend list, in $(CLUSTER_DIR).
## NETNS=1 make cluster (root, a fresh CLUSTER_DIR): each provider in its own network namespace behind a veth
## link, so `Deploy/cluster.sh cut-provider N` cuts it off the network (`restore-provider N`).
## cluster-stop: stops everything `make cluster` started (the data folder stays).
CLUSTER_DIR ?= /tmp/annuaire-cluster
.PHONY: cluster cluster-stop
cluster: build
	WORK=$(CLUSTER_DIR) BIN=$$($(SWIFT) build -c $(CONFIG) --show-bin-path) Deploy/cluster.sh start

cluster-stop:
	WORK=$(CLUSTER_DIR) Deploy/cluster.sh stop

## test: every test: first those that need no slapd (the protocol, the catalogue, the rules and the
## CLI against the real server over a directory in memory: InMemoryServer), in parallel; then those
## against real slapd instances started in temporary folders (what only slapd decides: password
## policy and hashing, filters on its indexes, transactions, restarts, the interop clients).
IN_PROCESS_TESTS := LDAPProtocolTests|MessagesTests|InProcessRulesTests|SchemaNamesTests|ProtectedAttributeTests|RightsRefreshTests|DomainRulesTests|ManagedGroupsTests|EscalationTests|GroupResponsibleTests|CreateUserWorkflowTests|GroupAndMembershipWorkflowTests|MembershipPeriodsTests|ScopedDerivationTests|IdentityOperationLimiterTests|LDAPMessageDecoderTests|JSONLogHandlerTests|ServeSettingsTests|SystemdNotifierTests|PortalTextTests|RateLimiterTests|SessionStoreTests|DirectoryGuardsTests|ExitCodeTests|FilterValueTests|GroupScreenWorkflowTests|ModifyHistoryDashboardTests|OperatorCommandTests|TutorialWalkthroughTests|UserLifecycleTests|UsageRulesTests|ServerCommandHelpTests|HelpLanguageTests|ProviderLinkTests|AttributeSpellingTests|OutOfScopeAnswersTests/assertionControlOutOfScope|OutOfScopeAnswersTests/existenceOracles|FirstPasswordTests/openToday|FirstPasswordTests/resendIdentifier|ConnectionPipelineTests|SearchBarrierGateTests
# The slapd suites run one test at a time by default. Two at a time took 127-142 s instead of
# about 220 s, but in 2 of 6 full runs a test waiting on a timer or a session missed it (an idle
# close not seen within 30 s; a portal session ended mid-story) while the suites shared 2 cores;
# `make test SLAPD_TEST_WIDTH=2` runs them two at a time.
SLAPD_TEST_WIDTH ?= 1
SLAPD_TEST_MODE = $(if $(filter 1,$(SLAPD_TEST_WIDTH)),--no-parallel,--parallel --experimental-maximum-parallelization-width $(SLAPD_TEST_WIDTH))
test: test-deps
	$(SWIFT) build --build-tests
	@$(MAKE) --no-print-directory clean-test-leftovers
	$(SWIFT) test --skip-build --parallel --filter '$(IN_PROCESS_TESTS)'
	$(SWIFT) test --skip-build $(SLAPD_TEST_MODE) --skip '$(IN_PROCESS_TESTS)'; status=$$?; $(MAKE) --no-print-directory clean-test-leftovers; [ $$status = 0 ] || exit $$status; \
	$(MAKE) --no-print-directory bench-smoke

## install: a release build (Swift runtime linked in) installed under $(DESTDIR)$(PREFIX):
## bin/annuaire, share/annuaire/{Schema,Fixtures}, share/doc/annuaire, the systemd unit and
## an annuaire.conf that is kept when it exists (Packaging/install.sh).
install: deps
	$(SWIFT) build -c release --static-swift-stdlib --product annuaire
	Packaging/install.sh .build/release/annuaire $(PREFIX) "$(DESTDIR)"

## deb: dist/annuaire_$(VERSION)_<arch>.deb, built with dpkg-deb (Packaging/build-deb.sh).
deb: deps
	@$(MAKE) --no-print-directory install-debian PACKAGES="dpkg-dev"
	$(SWIFT) build -c release --static-swift-stdlib --product annuaire
	Packaging/build-deb.sh .build/release/annuaire $(VERSION) dist

## test-package: as root, install the package on this machine, run the installed server as the
## annuaire user with the demo, bind, back up, stop, then remove and purge it (Packaging/test-package.sh).
test-package: deb
	Packaging/test-package.sh dist/annuaire_$(VERSION)_$$(dpkg --print-architecture).deb

## bench-smoke: the load generator once on a 500-user directory (seconds; nothing is timed or asserted on speed).
bench-smoke:
	$(SWIFT) build --product annuaire
	$(SWIFT) build --product annuaire-bench
	@work=$$(mktemp -d /tmp/annbench.XXXXXX); \
	BIN=$$($(SWIFT) build --show-bin-path) WORK=$$work/run APORT=13489 SPORT=13490 OPEN_CONNECTIONS=20 MAX_OPS=40 \
	  Benchmarks/side-by-side.sh 500 1 >$$work/log 2>&1; status=$$?; \
	if [ $$status != 0 ]; then cat $$work/log; else tail -n 12 $$work/log; fi; rm -rf $$work; exit $$status

# slapd children of interrupted test runs (their folders are /tmp/ann.XXXXXX), and only those:
# the slapds of a run still going (another checkout, another terminal) are left alone.
clean-test-leftovers:
	@Tools/clean-test-leftovers.sh
