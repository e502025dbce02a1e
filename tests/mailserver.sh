#!/usr/bin/env bash
# Real Dovecot and Postfix on loopback as a test mail system: SMTP 10025 (no AUTH, the MX
# role), submission 10587 (STARTTLS required) and 10465 (implicit TLS) with SASL through
# Dovecot, IMAP 10143 (+STARTTLS), IMAPS 10993, POP3 10110 (+STLS), POP3S 10995, LMTP delivery,
# two users, special-use folders, a 1 MB size and 5-recipient limit, no relaying, bounce.test
# bouncing as a real DSN, a self-signed certificate for mail.example.test (SANs localhost,
# 127.0.0.1), mail from submission signed with DKIM by OpenDKIM (selector mail, milter on
# 10891), and an authoritative DNS server (NSD, 127.0.0.1:10053, TCP and UDP) serving
# example.test (SPF, DMARC, the DKIM key also as selectors s2 and s3, A/MX records), the
# reverse zones of 127.0.0.0/8 (127.0.0.1 is client.example.test) and of 192.0.2.0/24
# (192.0.2.11-14 are mx1-mx4.example.test, for routes with public hops), an empty `test.`.
# Everything but the packages lives in one state folder.
# Usage: tests/mailserver.sh start|stop|status  (STATE=/path to move it)
#        tests/mailserver.sh zone default|no-dkim-key|spf-elsewhere  (rewrites example.test
#        and reloads NSD: the DKIM key removed, or an SPF record that lists another address)
#
# Users: alice@example.test / alice-password, bob@example.test / bob-password,
# carol@example.test / carol-password (the mail app's POP3 account).
set -euo pipefail
STATE=${STATE:-/tmp/mailscope-mail}
cmd=${1:-status}

install_packages() {
  command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/pop3 ] \
    && command -v nsd >/dev/null && command -v opendkim-genkey >/dev/null && return
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # Keep the package scripts from starting the stock servers on all interfaces.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl swaks \
    nsd opendkim opendkim-tools >/dev/null
  [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

write_config() {
  mkdir -p "$STATE"/{tls,log,mail,run}
  id vmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin vmail
  local uid gid
  uid=$(id -u vmail); gid=$(id -g vmail)
  chown vmail:vmail "$STATE/mail"
  if [ ! -s "$STATE/tls/cert.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -keyout "$STATE/tls/key.pem" -out "$STATE/tls/cert.pem" -subj "/CN=mail.example.test" \
      -addext "subjectAltName=DNS:mail.example.test,DNS:localhost,IP:127.0.0.1" \
      -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" 2>/dev/null
  fi
  # user:password:uid:gid:gecos:home — passdb and userdb (LMTP refuses users not listed).
  cat >"$STATE/users" <<USERS
alice@example.test:{PLAIN}alice-password:$uid:$gid::$STATE/mail/example.test/alice
bob@example.test:{PLAIN}bob-password:$uid:$gid::$STATE/mail/example.test/bob
carol@example.test:{PLAIN}carol-password:$uid:$gid::$STATE/mail/example.test/carol
USERS
  cat >"$STATE/dovecot.conf" <<CONF
base_dir = $STATE/run/dovecot
state_dir = $STATE/run/dovecot-state
protocols = imap pop3 lmtp
listen = 127.0.0.1
log_path = $STATE/log/dovecot.log
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login
recipient_delimiter = +
ssl = yes
ssl_cert = <$STATE/tls/cert.pem
ssl_key = <$STATE/tls/key.pem
mail_location = maildir:$STATE/mail/%d/%n
mail_uid = $uid
mail_gid = $gid
first_valid_uid = $uid
postmaster_address = postmaster@example.test
passdb {
  driver = passwd-file
  args = scheme=PLAIN $STATE/users
}
userdb {
  driver = passwd-file
  args = $STATE/users
}
namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    port = 10143
  }
  inet_listener imaps {
    port = 10993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 10110
  }
  inet_listener pop3s {
    port = 10995
    ssl = yes
  }
}
# LMTP delivery and SASL for Postfix, inside Postfix's private spool folder.
service lmtp {
  unix_listener $STATE/spool/private/dovecot-lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service auth {
  unix_listener $STATE/spool/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
# The failed-login penalty would slow every test after a wrong password.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
CONF
}

write_postfix() {
  local pf="$STATE/postfix"
  mkdir -p "$pf" "$STATE/spool" "$STATE/postfix-data"
  chown postfix "$STATE/postfix-data"
  printf 'alice@example.test x\nbob@example.test x\ncarol@example.test x\npostmaster@example.test x\n' >"$pf/vmailbox"
  # bounce.test goes to Dovecot's LMTP, which has no such user: Postfix accepts the message,
  # LMTP refuses it (550 5.1.1), and Postfix mails a real DSN back to the sender.
  printf 'bounce.test lmtp:unix:private/dovecot-lmtp\n' >"$pf/transport"
  cat >"$pf/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $STATE/spool
data_directory = $STATE/postfix-data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.example.test
mydomain = example.test
mydestination =
alias_maps =
alias_database =
local_transport = error:5.1.1 no local delivery on this test system
virtual_mailbox_domains = example.test
virtual_mailbox_maps = texthash:$pf/vmailbox
virtual_transport = lmtp:unix:private/dovecot-lmtp
transport_maps = texthash:$pf/transport
# Every test client is on loopback: trust nobody for it (no permit_mynetworks anywhere).
mynetworks = 127.0.0.1/32
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
# Nothing ever leaves this machine.
default_transport = error:5.7.1 outbound mail disabled on this test system
relay_transport = error:5.7.1 outbound mail disabled on this test system
smtpd_peername_lookup = no
message_size_limit = 1048576
smtpd_recipient_limit = 5
# bob+anything@example.test is bob: distinct addresses for the recipient-limit tests.
recipient_delimiter = +
smtpd_tls_cert_file = $STATE/tls/cert.pem
smtpd_tls_key_file = $STATE/tls/key.pem
smtpd_tls_security_level = may
smtpd_banner = mail.example.test ESMTP Mailscope test system
smtputf8_enable = yes
biff = no
maillog_file = $STATE/log/postfix.log
maillog_file_prefixes = $STATE/log
MAIN
  cat >"$pf/master.cf" <<'MASTER'
10025     inet  n       -       n       -       -       smtpd
10587     inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_milters=inet:127.0.0.1:10891
10465     inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_milters=inet:127.0.0.1:10891
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
}

# The example.test zone; $1 is the variant (see the usage above).
write_zone() {
  local variant=${1:-default} spf="v=spf1 ip4:127.0.0.1 -all" key s2 s3
  key=$(sed 's/;.*-----.*$//' "$STATE/dkim/mail.txt")
  # The same key under two more selectors, for messages with three signatures (the
  # live-check benchmark signs with them).
  s2=${key/mail._domainkey/s2._domainkey}
  s3=${key/mail._domainkey/s3._domainkey}
  [ "$variant" = spf-elsewhere ] && spf="v=spf1 ip4:192.0.2.1 -all"
  [ "$variant" = no-dkim-key ] && key="" && s2="" && s3=""
  cat >"$STATE/dns/example.test.zone.new" <<ZONE
\$TTL 300
@ IN SOA ns.example.test. hostmaster.example.test. $(date +%s) 3600 600 86400 60
@ IN NS ns.example.test.
ns IN A 127.0.0.1
mail IN A 127.0.0.1
client IN A 127.0.0.1
mx1 IN A 192.0.2.11
mx2 IN A 192.0.2.12
mx3 IN A 192.0.2.13
mx4 IN A 192.0.2.14
@ IN MX 10 mail.example.test.
@ IN TXT "$spf"
_dmarc IN TXT "v=DMARC1; p=reject; adkim=r; aspf=r"
$key
$s2
$s3
ZONE
  mv "$STATE/dns/example.test.zone.new" "$STATE/dns/example.test.zone"
}

write_dns() {
  mkdir -p "$STATE/dns" "$STATE/dkim" "$STATE/run"
  [ -s "$STATE/dkim/mail.private" ] || opendkim-genkey -b 2048 -d example.test -s mail -D "$STATE/dkim"
  write_zone default
  local soa='@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60'
  printf '$TTL 300\n%s\n@ IN NS ns.example.test.\n1.0.0 IN PTR client.example.test.\n' "$soa" >"$STATE/dns/reverse.zone"
  printf '$TTL 300\n%s\n@ IN NS ns.example.test.\n' "$soa" >"$STATE/dns/test.zone"
  {
    printf '$TTL 300\n%s\n@ IN NS ns.example.test.\n' "$soa"
    for i in 1 2 3 4; do printf '1%s IN PTR mx%s.example.test.\n' "$i" "$i"; done
  } >"$STATE/dns/reverse-192.0.2.zone"
  cat >"$STATE/dns/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@10053
  do-ip6: no
  username: ""
  chroot: ""
  database: ""
  zonelistfile: "$STATE/run/nsd-zone.list"
  xfrdfile: "$STATE/run/nsd-xfrd.state"
  pidfile: "$STATE/run/nsd.pid"
  logfile: "$STATE/log/nsd.log"
  zonesdir: "$STATE/dns"
  server-count: 1
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: example.test
  zonefile: example.test.zone
zone:
  name: 127.in-addr.arpa
  zonefile: reverse.zone
zone:
  name: test
  zonefile: test.zone
zone:
  name: 2.0.192.in-addr.arpa
  zonefile: reverse-192.0.2.zone
CONF
  cat >"$STATE/dkim/opendkim.conf" <<CONF
Syslog no
Mode s
Domain example.test
Selector mail
KeyFile $STATE/dkim/mail.private
RequireSafeKeys false
Socket inet:10891@127.0.0.1
PidFile $STATE/run/opendkim.pid
Canonicalization relaxed/simple
SignatureAlgorithm rsa-sha256
InternalHosts 127.0.0.1
CONF
}

# Rewrites the example.test zone and waits until NSD serves it.
zone() {
  local before
  before=$(grep -c "zone example.test read with success" "$STATE/log/nsd.log" || true)
  write_zone "${1:-default}"
  kill -HUP "$(cat "$STATE/run/nsd.pid")"
  for _ in $(seq 50); do
    [ "$(grep -c "zone example.test read with success" "$STATE/log/nsd.log" || true)" -gt "$before" ] \
      && { echo "mailserver: zone example.test is now ${1:-default}"; return 0; }
    sleep 0.1
  done
  echo "mailserver: NSD did not reload example.test within 5 s; see $STATE/log/nsd.log" >&2
  return 1
}

wait_port() {
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "mailserver: $2 did not listen on $1 within 5 s; see $STATE/log" >&2
  return 1
}

ports_free() {
  local busy=""
  for p in 10025 10587 10465 10143 10993 10110 10995 10053 10891; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then busy="$busy $p"; fi
  done
  [ -z "$busy" ] || { echo "mailserver: ports already in use:$busy" >&2; return 1; }
}

start() {
  install_packages
  status >/dev/null 2>&1 && { echo "mailserver: already running"; return 0; }
  ports_free
  # A stale penalty socket from an earlier run stalls authentication for seconds.
  rm -rf "$STATE/run" "$STATE/spool/private/dovecot-lmtp" "$STATE/spool/private/auth"
  write_config
  write_postfix
  write_dns
  nsd -c "$STATE/dns/nsd.conf" </dev/null >>"$STATE/log/nsd.out" 2>&1
  opendkim -x "$STATE/dkim/opendkim.conf" </dev/null >>"$STATE/log/opendkim.out" 2>&1
  wait_port 10053 NSD
  wait_port 10891 OpenDKIM
  # Postfix first: it creates the spool folder where Dovecot puts its LMTP and auth sockets.
  postfix -c "$STATE/postfix" check >>"$STATE/log/postfix.out" 2>&1 || true
  postfix -c "$STATE/postfix" start </dev/null >>"$STATE/log/postfix.out" 2>&1 || {
    echo "mailserver: Postfix did not start; see $STATE/log/postfix.out and postfix.log" >&2
    return 1
  }
  mkdir -p "$STATE/spool/private"
  # Dovecot keeps the caller's stderr open: give it files, not our pipes.
  dovecot -c "$STATE/dovecot.conf" </dev/null >>"$STATE/log/dovecot.out" 2>&1
  for u in alice bob; do
    for box in Drafts Sent Trash Archive Junk; do
      doveadm -c "$STATE/dovecot.conf" mailbox create -u "$u@example.test" -s "$box" >/dev/null 2>&1 || true
    done
  done
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/10993) 2>/dev/null && { echo "mailserver: started (state in $STATE)"; return 0; }
    sleep 0.1
  done
  echo "mailserver: Dovecot did not start; see $STATE/log/dovecot.log" >&2
  return 1
}

stop() {
  for pid in "$STATE/run/nsd.pid" "$STATE/run/opendkim.pid"; do
    [ -s "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  for port in 10053 10891; do
    for _ in $(seq 50); do
      (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null || break
      sleep 0.1
    done
  done
  [ -f "$STATE/postfix/main.cf" ] && postfix -c "$STATE/postfix" stop >/dev/null 2>&1 || true
  [ -f "$STATE/dovecot.conf" ] && doveadm -c "$STATE/dovecot.conf" stop >/dev/null 2>&1 || true
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/10143) 2>/dev/null || { echo "mailserver: stopped"; return 0; }
    sleep 0.1
  done
}

status() {
  if (exec 3<>/dev/tcp/127.0.0.1/10993) 2>/dev/null; then
    echo "mailserver: running (SMTP 10025, submission 10587/10465, IMAP 10143/10993, POP3 10110/10995; state in $STATE)"
  else
    echo "mailserver: not running"
    return 1
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  zone) zone "${2:-default}" ;;
  *) echo "usage: $0 start|stop|status|zone VARIANT" >&2; exit 2 ;;
esac
