#!/usr/bin/env python3
"""Forms read aloud, in Debian's chromium, as people use them: Tab (desktop) and taps (a 360 px phone) into each
field of the sample forms in French and Arabic; typing stops the description; a submit with errors moves to the
first and reads it; a field added after load is described; point and listen reads a clicked paragraph from the
word clicked and says a button's name; axe-core finds nothing on the widget in each state. Starts its own daemon;
screenshots go to .build/widget/ (forms-*.png).

Usage: forms_test.py [QARI] [TEST...]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qari_browser  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from widget_test import OUT, axe_clean, next_frame, open_page, own_errors, run, state, wait  # noqa: E402


def side(d):
    return (state(d) or {}).get("side") or {}


def remember(d, daemon, page, **settings):
    """The page opened with these settings remembered (as a reader who turned them on before)."""
    open_page(d, daemon, page)
    d.execute_script("localStorage.setItem('qari-settings', JSON.stringify(arguments[0]))", settings)
    open_page(d, daemon, page)


def spoken_in(d, what, selector, timeout=20):
    """Waits until the word highlighted is inside the element `selector` names; returns the word."""
    def inside():
        return d.execute_script("""
            const h = CSS.highlights.get('qari-word'), host = document.querySelector(arguments[0]);
            if (!h || !host) return null;
            const r = [...h][0];
            return r && host.contains(r.startContainer) && r.toString().trim() ? r.toString() : null;""", selector)
    return wait(d, what, inside, timeout)


def reading_fields(d, daemon):
    """The page's fields as the daemon describes them (the widget asked for the page's reading)."""
    html = d.execute_script("return window.qari.html()")
    return daemon_post(daemon, html)["fields"]


def daemon_post(daemon, html):
    import json
    import urllib.request
    request = urllib.request.Request(daemon.url("v1/readings"), data=json.dumps({"html": html}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())


def tab_to(d, selector, limit=40):
    """Presses Tab until the element `selector` names has focus."""
    for _ in range(limit):
        if d.execute_script("return document.activeElement === document.querySelector(arguments[0])", selector):
            return
        ActionChains(d).send_keys(Keys.TAB).perform()
    raise AssertionError(f"Tab never reached {selector}")


def field_plays(d, index):
    return wait(d, f"field {index}'s description", lambda: (
        side(d).get("kind") == "field" and side(d).get("playing")
        and side(d).get("source", "").endswith(f"/field-{index}.ogg")))


FIELDS = {
    # page: (a label to reach by Tab, its field's index, its label's selector; the field with an error, its error's
    # selector; the select's index)
    "form-fr.html": ("#nom", 0, "label[for=nom]", "#cin", "#cin-erreur", "#commune"),
    "form-ar.html": ("#nasab", 0, "label[for=nasab]", "#cin", "#cin-error", "select"),
}


def test_tab_into_each_field_reads_it_with_the_label_highlighted_and_typing_stops_it(d, daemon):
    for page, (first, index, label, bad, error, select) in FIELDS.items():
        remember(d, daemon, page, fields=True)
        fields = reading_fields(d, daemon)
        # From the top of the form's heading, by keyboard alone.
        d.execute_script("document.querySelector('h1').setAttribute('tabindex', '-1');"
                         "document.querySelector('h1').focus()")
        tab_to(d, first)
        field_plays(d, index)
        word = spoken_in(d, f"{page}: a word of the label highlighted", label)
        assert word.strip() in fields[index]["label"], (word, fields[index]["label"])
        # Every field Tab reaches plays its own description; the one with an error reads it, highlighted where
        # the page shows it; the select says its options.
        heard, error_read = set(), False
        select_field = [f for f in fields if f["kind"] == "select"][0]
        assert select_field.get("options") and all(
            o["label"] in select_field["text"] for o in select_field["options"][1:]), select_field
        for _ in range(20):
            ActionChains(d).send_keys(Keys.TAB).perform()
            s = wait(d, "a description", lambda: side(d).get("playing") and side(d))
            heard.add(s["source"].rsplit("/", 1)[1])
            if d.execute_script("return document.activeElement === document.querySelector(arguments[0])", bad):
                spoken_in(d, f"{page}: the error read", error, timeout=30)
                error_read = True
            if d.execute_script("return document.activeElement === document.querySelector(arguments[0])", select):
                field_plays(d, select_field["index"])
                break
        assert error_read, f"{page}: Tab never reached the field with an error"
        assert len(heard) >= 5, f"{page}: descriptions heard {heard}"
        # Typing stops it.
        d.find_element(By.CSS_SELECTOR, first).click()
        field_plays(d, index)
        ActionChains(d).send_keys("a").perform()
        wait(d, "typing to stop the description", lambda: not side(d).get("playing"))
        qari_browser.screenshot(d, os.path.join(OUT, f"forms-{page[5:7]}-desktop.png"), full=False)
        assert not own_errors(d, daemon), own_errors(d, daemon)


def test_on_a_phone_a_tap_into_a_field_reads_it_after_listen(d, daemon):
    for page, (first, index, label, *_rest) in FIELDS.items():
        qari_browser.phone(d, 360, 640)
        open_page(d, daemon, page)
        d.execute_script("localStorage.removeItem('qari-settings')")
        open_page(d, daemon, page)
        # Reading is off until Listen is pressed on this page.
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, first))
        next_frame(d)
        assert not side(d).get("kind"), f"{page}: a field read before Listen was pressed"
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-listen"))
        wait(d, "the page playing", lambda: (state(d) or {}).get("playing"))
        d.execute_script("document.activeElement.blur()")
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, first))
        field_plays(d, index)
        spoken_in(d, f"{page}: a word of the label highlighted after a tap", label)
        assert not (state(d) or {}).get("playing"), "the page's reading goes on under the field's description"
        qari_browser.screenshot(d, os.path.join(OUT, f"forms-{page[5:7]}-phone-360.png"), full=False)
        axe_clean(d, f"{page} on a phone, a field read")


def test_a_submit_with_errors_moves_to_the_first_and_reads_it(d, daemon):
    remember(d, daemon, "form-fr.html", fields=True)
    # The portal's own script checks the form and marks the phone number wrong (as many portals do).
    d.execute_script("""
        const form = document.querySelector('form');
        form.noValidate = true;
        const note = document.createElement('p');
        note.id = 'tel-erreur';
        note.textContent = 'Le numéro de téléphone doit compter dix chiffres.';
        form.addEventListener('submit', e => {
          e.preventDefault();
          document.querySelector('#cin').removeAttribute('aria-invalid');
          const tel = document.querySelector('#tel');
          tel.after(note);
          tel.setAttribute('aria-invalid', 'true');
          tel.setAttribute('aria-errormessage', 'tel-erreur');
        });""")
    button = d.find_element(By.CSS_SELECTOR, "button[type=submit]")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    wait(d, "the first error's field focused", lambda: d.execute_script(
        "return document.activeElement && document.activeElement.id === 'tel'"))
    # Not the description made with the page: the error is new, so the field is described again and said.
    spoken_in(d, "the new error read and highlighted", "#tel-erreur", timeout=30)
    assert side(d)["kind"] == "field"


def test_a_field_added_after_load_is_described(d, daemon):
    remember(d, daemon, "form-ar.html", fields=True)
    # The page's fields are known (a field was read), then a step of the procedure adds one.
    d.find_element(By.CSS_SELECTOR, "#nasab").click()
    field_plays(d, 0)
    d.execute_script("""
        const form = document.querySelector('form');
        const label = document.createElement('label');
        label.htmlFor = 'mihna';
        label.textContent = 'المهنة الحالية';
        const input = document.createElement('input');
        input.id = 'mihna';
        input.required = true;
        form.prepend(label, input);""")
    d.find_element(By.CSS_SELECTOR, "#mihna").click()
    spoken_in(d, "the added field's label read", "label[for=mihna]", timeout=30)
    assert side(d)["kind"] == "field" and "/field-" not in side(d)["source"], side(d)


def test_point_and_listen_reads_from_the_clicked_word_and_says_a_buttons_name(d, daemon):
    for page, button_text in (("form-fr.html", "Envoyer"), ("form-ar.html", None)):
        open_page(d, daemon, page)
        d.execute_script("localStorage.removeItem('qari-settings')")
        open_page(d, daemon, page)
        # Turned on as a reader does: Listen, the settings, the box; then the page's reading paused.
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        wait(d, "the page playing", lambda: (state(d) or {}).get("playing"))
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        d.find_element(By.CSS_SELECTOR, "[aria-controls=qari-settings]").click()
        assert state(d)["settings"]["point"] is False
        box = wait(d, "the point toggle", lambda: d.execute_script(
            "return [...document.querySelectorAll('#qari-settings label')].find(l => l.textContent.includes("
            "arguments[0]))", "Cliquer pour écouter" if page.endswith("fr.html") else "انقر للاستماع"))
        box.click()
        assert state(d)["settings"]["point"] is True
        axe_clean(d, f"{page}: settings with point and listen on")
        qari_browser.screenshot(d, os.path.join(OUT, f"forms-settings-{page[5:7]}.png"), full=False)
        d.find_element(By.CSS_SELECTOR, "[aria-controls=qari-settings]").click()
        # A paragraph nobody read yet (a dialog opened by script): read from the word clicked.
        d.execute_script("""
            const p = document.createElement('p');
            p.id = 'ajout';
            p.textContent = arguments[0];
            document.querySelector('main').appendChild(p);
            p.scrollIntoView({block: 'center'});""",
                         "Le guichet ferme à seize heures trente le vendredi." if page.endswith("fr.html")
                         else "يغلق الشباك على الساعة الرابعة والنصف يوم الجمعة.")
        words = d.execute_script("return document.querySelector('#ajout').textContent.split(' ')")
        # Click on the third word.
        x, y = d.execute_script("""
            const p = document.querySelector('#ajout'), t = p.firstChild, r = document.createRange();
            const start = t.data.indexOf(arguments[0]);
            r.setStart(t, start + 1); r.setEnd(t, start + 2);
            const b = r.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2];""", words[2])
        d.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left",
                                                        "clickCount": 1})
        d.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left",
                                                        "clickCount": 1})
        first = spoken_in(d, f"{page}: the clicked paragraph read", "#ajout", timeout=30)
        assert side(d)["kind"] == "text"
        assert first.strip() == words[2].strip(".،"), (first, words)
        qari_browser.screenshot(d, os.path.join(OUT, f"forms-point-{page[5:7]}.png"), full=False)
        # A button: a short hover says what it is.
        button = d.find_element(By.CSS_SELECTOR, "button[type=submit]")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        ActionChains(d).move_to_element(button).perform()
        wait(d, "the button's name said", lambda: side(d).get("kind") == "name", timeout=30)
        spoken_in(d, "the button's name highlighted", "button[type=submit]", timeout=30)
        if button_text:
            assert wait(d, "Envoyer", lambda: (side(d).get("spoken") or "").strip() == button_text, timeout=30)
        # Escape leaves the mode; a click is a click again.
        ActionChains(d).send_keys(Keys.ESCAPE).perform()
        assert state(d)["settings"]["point"] is False
        assert not own_errors(d, daemon), own_errors(d, daemon)


def test_a_value_is_said_on_request_only_as_a_private_reading_and_a_password_never(d, daemon):
    remember(d, daemon, "form-fr.html", fields=True)
    network = qari_browser.Network(d)
    d.find_element(By.CSS_SELECTOR, "#prenom").click()
    field_plays(d, 1)
    network.forget()
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("v").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    wait(d, "the value said", lambda: side(d).get("kind") == "value" and side(d).get("playing"), 30)
    said = [r for r in network.requests() if r["method"] == "POST" and r["url"].endswith("/v1/readings")]
    assert len(said) == 1 and "Yasmina" in said[0]["body"], said
    assert said[0]["headers"].get("Qari-Privacy") == "private", said[0]["headers"]
    assert "/v1/readings/p" in side(d)["source"], side(d)
    # A password: the widget says it is never read, and its value goes nowhere.
    network.forget()
    d.find_element(By.CSS_SELECTOR, "#motdepasse").click()
    wait(d, "the password field's description", lambda: side(d).get("kind") == "field", 30)
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("v").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    wait(d, "the password's answer", lambda: side(d).get("kind") == "value" and side(d).get("playing"), 30)
    bodies = " ".join(r["body"] or "" for r in network.requests())
    assert "Tr3s-Secret-Fr!" not in bodies and "Secret" not in bodies, bodies[:300]
    assert "jamais lu" in bodies, bodies[:300]


def test_point_and_listen_on_a_link_says_its_whole_address(d, daemon):
    """A link whose text is its own address is read as a link to its host; pointing at it says the whole address,
    the highlight moving through its parts."""
    link = "https://www.lematin.ma/actualite/article/Les-guichets-uniques-ouvrent-14848382.php"
    for page in ("form-fr.html", "form-ar.html"):
        remember(d, daemon, page, point=True)
        d.execute_script("""
            const p = document.createElement('p'), a = document.createElement('a');
            a.id = 'adresse'; a.href = arguments[0]; a.textContent = arguments[0];
            p.appendChild(a);
            document.querySelector('main').appendChild(p);
            a.scrollIntoView({block: 'center'});
            window.__parts = new Set();
            const tick = () => {
              const h = CSS.highlights.get('qari-word'), r = h && [...h][0];
              if (r && document.querySelector('#adresse').contains(r.startContainer)) window.__parts.add(r.toString());
              requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);""", link)
        # A reader has pressed Listen and paused before (the browser plays nothing before a first gesture).
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        wait(d, "the page playing", lambda: (state(d) or {}).get("playing"))
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        ActionChains(d).move_to_element(d.find_element(By.CSS_SELECTOR, "#adresse")).perform()
        wait(d, f"{page}: the link's name said", lambda: side(d).get("kind") == "name", timeout=30)
        # The path's words are said and highlighted, not only the host.
        parts = wait(d, f"{page}: the path's words highlighted", lambda: d.execute_script(
            "return [...window.__parts].some(w => /guichets/i.test(w)) && [...window.__parts]"), timeout=30)
        assert len(parts) >= 4, parts
        ActionChains(d).send_keys(Keys.ESCAPE).perform()
        assert not own_errors(d, daemon), own_errors(d, daemon)


TESTS = [v for k, v in list(globals().items()) if k.startswith("test_")]


def main():
    return run(TESTS, "forms")


if __name__ == "__main__":
    sys.exit(main())
