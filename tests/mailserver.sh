#!/usr/bin/env bash
# Real Dovecot on loopback as a test mail system: IMAP 10143 (+STARTTLS), IMAPS 10993,
# POP3 10110 (+STLS), POP3S 10995, two users, special-use folders, a self-signed certificate
# for mail.example.test (SANs localhost, 127.0.0.1). Everything but the packages lives in one
# state folder. Usage: tests/mailserver.sh start|stop|status  (STATE=/path to move it)
#
# Users: alice@example.test / alice-password, bob@example.test / bob-password.
set -euo pipefail
STATE=${STATE:-/tmp/mailscope-mail}
cmd=${1:-status}

install_packages() {
  command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/pop3 ] && return
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # Keep the package scripts from starting the stock servers on all interfaces.
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix openssl swaks >/dev/null
  [ -n "$guard" ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

write_config() {
  mkdir -p "$STATE"/{tls,log,mail,run}
  id vmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin vmail
  local uid gid
  uid=$(id -u vmail); gid=$(id -g vmail)
  if [ ! -s "$STATE/tls/cert.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -keyout "$STATE/tls/key.pem" -out "$STATE/tls/cert.pem" -subj "/CN=mail.example.test" \
      -addext "subjectAltName=DNS:mail.example.test,DNS:localhost,IP:127.0.0.1" \
      -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" 2>/dev/null
  fi
  cat >"$STATE/users" <<USERS
alice@example.test:{PLAIN}alice-password
bob@example.test:{PLAIN}bob-password
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
  driver = static
  args = uid=$uid gid=$gid home=$STATE/mail/%d/%n
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
service lmtp {
  unix_listener lmtp {
    mode = 0666
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

ports_free() {
  local busy=""
  for p in 10143 10993 10110 10995; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then busy="$busy $p"; fi
  done
  [ -z "$busy" ] || { echo "mailserver: ports already in use:$busy" >&2; return 1; }
}

start() {
  install_packages
  status >/dev/null 2>&1 && { echo "mailserver: already running"; return 0; }
  ports_free
  # A stale penalty socket from an earlier run stalls authentication for seconds.
  rm -rf "$STATE/run"
  write_config
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
  [ -f "$STATE/dovecot.conf" ] && doveadm -c "$STATE/dovecot.conf" stop >/dev/null 2>&1 || true
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/10143) 2>/dev/null || { echo "mailserver: stopped"; return 0; }
    sleep 0.1
  done
}

status() {
  if (exec 3<>/dev/tcp/127.0.0.1/10993) 2>/dev/null; then
    echo "mailserver: running (IMAP 10143, IMAPS 10993, POP3 10110, POP3S 10995; state in $STATE)"
  else
    echo "mailserver: not running"
    return 1
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
