#!/usr/bin/env bash
# Machine set-up: the system packages the project uses outside its virtualenv, from Debian.
#
#   chromium          the browser Playwright drives in the browser tests (tests/console, the web
#                     widget); Playwright never downloads a browser of its own here.
#   fonts-wqy-zenhei  a Chinese font, so the pages in those tests and the screenshots render Chinese
#                     text rather than boxes (and the center's name under the PNG QR code).
#   libzbar0          the QR decoder behind pyzbar: the tests decode the intake service's QR codes.
#                     text rather than boxes; also the font of the mediation documents (PDF).
#   libpango-1.0-0 libpangoft2-1.0-0
#                     the text layout WeasyPrint renders the mediation documents with.
#   poppler-utils     pdftotext / pdftoppm: the document tests read the PDFs' text and render page 1.
#   haproxy           the balancer of `make cluster` and of the cluster's fault tests (tests/cluster).
#
# `make setup-machine` runs this; `make run` and `make test` run it first. It installs with apt-get,
# so only as root on a Debian-like system; anywhere else it says so and does nothing (the browser
# tests then skip and say why). It does nothing either when both packages are already there.
set -uo pipefail

packages=(chromium fonts-wqy-zenhei libzbar0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils haproxy)

have_chromium() { [ -x /usr/bin/chromium ]; }  # the path the browser tests use
have_font() { [ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; }
have_zbar() { ldconfig -p 2>/dev/null | grep -q libzbar.so.0; }
have_pdf() { command -v pdftotext >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; }
have_haproxy() { command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; }

if have_chromium && have_font && have_zbar && have_pdf && have_haproxy; then
    echo "setup-machine: chromium, fonts-wqy-zenhei, libzbar0, pango, poppler-utils and haproxy present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-machine: skipped (no apt-get); install ${packages[*]} yourself for the browser tests"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "setup-machine: skipped (not root); as root: apt-get install ${packages[*]}"
    echo "setup-machine: without them the browser tests skip"
    exit 0
fi
echo "setup-machine: apt-get install ${packages[*]} (browser tests, screenshots, PDF documents) ..."
if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null; then
    echo "setup-machine: done"
else
    echo "setup-machine: could not install ${packages[*]}; the browser tests will skip"
fi
exit 0
