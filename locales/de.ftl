# ContactClient: Deutsch. Dieselben Nachrichten mit denselben Variablen wie en.ftl.

## Every public page

site-title = Kontakt
skip-link = Zum Inhalt springen
site-footer = Ihre Angaben werden gleich bei der Ankunft verschlüsselt und nur von den Menschen gelesen, die Ihnen antworten.
language-menu = Sprache

## The contact form

form-title-errors = Bitte prüfen Sie das Formular
form-heading = Schreiben Sie uns
form-lede = Hinterlassen Sie Ihre Kontaktdaten und die Zeit, die Ihnen am besten passt. Wir rufen Sie an oder schreiben Ihnen.
form-alert-heading = { $count ->
    [one] Bitte prüfen Sie dieses Feld
   *[other] Bitte prüfen Sie diese { $count } Felder
}
form-name = Name
form-email = E-Mail
form-phone = Telefon
form-phone-hint = Mit Ländervorwahl, z. B. +49 30 901820
form-preferred-time = Wann wir Sie am besten erreichen
form-preferred-time-hint = In Ihrer Zeitzone, innerhalb des nächsten Jahres
form-time-zone = Ihre Zeitzone
form-message = Nachricht
form-optional = (optional)
form-message-hint = Bis zu 5000 Zeichen
form-honeypot = Dieses Feld leer lassen
form-send = Senden
captcha-legend = Zeigen Sie, dass Sie ein Mensch sind
captcha-image-alt = Verzerrte Zeichen, die Sie in das Feld darunter eingeben
captcha-listen = Stattdessen anhören (auf Englisch)
captcha-new-picture = Neues Bild
captcha-answer = Zeichen im Bild
captcha-answer-hint = Groß- und Kleinschreibung egal. Bild und Audio haben dieselbe Lösung; das Audio buchstabiert sie auf Englisch.

## What a check found wrong with a field

field-control = Steuerzeichen sind nicht erlaubt.
field-name-missing = Bitte geben Sie Ihren Namen ein.
field-name-too-long = Ihr Name darf höchstens 100 Zeichen haben.
field-email-missing = Bitte geben Sie Ihre E-Mail-Adresse ein.
field-email-too-long = Eine E-Mail-Adresse darf höchstens 254 Zeichen haben.
field-email-invalid = Bitte geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.com.
field-phone-missing = Bitte geben Sie Ihre Telefonnummer ein.
field-phone-way-too-long = Das ist zu lang für eine Telefonnummer.
field-phone-country-code = Bitte geben Sie die Ländervorwahl mit an, etwa +49 30 901820.
field-phone-bad-country = Diese Ländervorwahl gibt es nicht.
field-phone-too-short = Diese Telefonnummer ist zu kurz.
field-phone-too-long = Diese Telefonnummer ist zu lang.
field-phone-invalid = Das ist keine gültige Telefonnummer.
field-phone-not-found = Diese Telefonnummer gibt es nicht. Bitte prüfen Sie sie.
field-phone-unchecked = Diese Telefonnummer lässt sich gerade nicht prüfen. Bitte versuchen Sie es in ein paar Minuten noch einmal.
field-time-missing = Bitte wählen Sie Datum und Uhrzeit.
field-time-format = Bitte wählen Sie Datum und Uhrzeit, etwa 2026-07-14T14:00.
field-time-past = Bitte wählen Sie eine Zeit in der Zukunft.
field-time-too-far = Bitte wählen Sie eine Zeit innerhalb des nächsten Jahres.
field-time-gap = Diese Uhrzeit gibt es in Ihrer Zeitzone nicht: Die Uhren springen darüber. Bitte wählen Sie eine andere.
field-time-fold = Diese Uhrzeit gibt es in Ihrer Zeitzone zweimal: Die Uhren werden dann zurückgestellt. Bitte wählen Sie eine andere.
field-time-other = Bitte wählen Sie eine andere Zeit.
field-zone-unknown = Bitte wählen Sie eine Zeitzone aus der Liste.
field-message-too-long = Die Nachricht darf höchstens 5000 Zeichen haben.
field-captcha-missing = Bitte geben Sie die Zeichen aus dem Bild ein.
field-captcha-pow-failed = Die automatische Prüfung hat nicht geklappt (sie war abgelaufen oder schon verwendet). Bitte geben Sie die Zeichen aus dem Bild ein.
field-captcha-wrong = Das passte nicht zum Bild, oder es war abgelaufen. Bitte versuchen Sie es mit diesem neuen.
field-note-empty = Schreiben Sie zuerst etwas.
field-status-unknown = Wählen Sie neu, kontaktiert, erledigt oder Spam.

## What the page's script says

js-captcha-wrong = Das passte nicht zum Bild. Bitte versuchen Sie es noch einmal.
js-captcha-wrong-announced = Die Zeichen passten nicht zum Bild.
js-check-one = Bitte prüfen Sie ein Feld.
js-check-many = Bitte prüfen Sie { $count } Felder.
js-new-picture-in = Neues Bild in { $seconds } s
js-new-picture-wait = Zu viele neue Bilder. Sie können in { $seconds } Sekunden ein weiteres anfordern.
js-new-picture-ready = Es gibt ein neues Bild.
js-new-picture-failed = Ein neues Bild ließ sich nicht laden. Laden Sie die Seite neu, um eines zu bekommen.
js-listen = Die Zeichen anhören (auf Englisch)
js-listen-button = ▶ Anhören (Englisch)
js-pow-working = Wir prüfen, dass Sie kein Roboter sind …
js-pow-done = Wir prüfen, dass Sie kein Roboter sind … fertig
js-pow-failed = Die automatische Prüfung hat nicht geklappt. Bitte geben Sie die Zeichen aus dem Bild ein.

## After sending

thanks-title = Vielen Dank
thanks-lede = Ihre Nachricht ist sicher angekommen. Wir melden uns zu der Zeit, die Sie gewählt haben.
thanks-again = Noch eine Nachricht senden

## Errors

error-back = Zurück zum Formular
error-title = { $status ->
    [400] Ungültige Anfrage
    [401] Nicht angemeldet
    [403] Nicht erlaubt
    [404] Nicht gefunden
    [405] Methode nicht erlaubt
    [413] Zu groß
    [422] Nicht verarbeitbar
    [429] Zu viele Anfragen
    [500] Interner Fehler
    [503] Nicht verfügbar
   *[other] Fehler
}
error-explain = { $status ->
    [400] Die Anfrage war nicht verständlich. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.
    [401] Bitte melden Sie sich zuerst an.
    [403] Das Formular ist abgelaufen oder kam nicht von dieser Website. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.
    [404] Unter dieser Adresse gibt es nichts.
    [405] Das ist hier nicht möglich.
    [413] Das war zu viel auf einmal. Bitte kürzen Sie Ihre Nachricht und versuchen Sie es noch einmal.
    [422] Ein Teil der gesendeten Angaben ist ungültig.
    [429] Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.
    [500] Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es später noch einmal.
    [503] Der Dienst ist gerade nicht verfügbar. Bitte versuchen Sie es in ein paar Minuten noch einmal.
   *[other] Die Anfrage konnte nicht ausgeführt werden.
}
error-role = Ihre Rolle erlaubt das nicht. Fragen Sie einen Eigentümer, wenn Sie es brauchen.

## The admin's pages

admin-title = ContactClient-Verwaltung
nav-label = Verwaltung
nav-submissions = Anfragen
nav-people = Personen
nav-audit = Protokoll
nav-users = Benutzer
nav-export = CSV exportieren
nav-sign-out = Abmelden
action-save = Speichern
action-cancel = Abbrechen
action-confirm = Bestätigen
role-name = { $role ->
    [owner] Eigentümer
    [editor] Bearbeiter
   *[viewer] Leser
}
status-name = { $status ->
    [new] neu
    [contacted] kontaktiert
    [closed] erledigt
   *[spam] Spam
}
verdict-name = { $verdict ->
    [verified] bestätigt
    [unverified] unbestätigt
   *[not_checked] nicht geprüft
}
weekday = { $day ->
    [1] Mo
    [2] Di
    [3] Mi
    [4] Do
    [5] Fr
    [6] Sa
   *[7] So
}

login-title = Anmelden
login-lede-users = Ihr Benutzername, Ihr Passwort und der 6-stellige Code aus Ihrer Authenticator-App (oder einer Ihrer Wiederherstellungscodes).
login-lede-shared = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.
login-user-name = Benutzername
login-password = Passwort
login-code = Code
login-failed = Das hat nicht geklappt. Prüfen Sie Ihre Eingaben und den Code aus Ihrer Authenticator-App und versuchen Sie es noch einmal.

list-search-label = Nach Name, E-Mail oder Telefon suchen
list-search-placeholder = Name, genaue E-Mail oder Ziffern der Nummer
list-search = Suchen
list-clear = Zurücksetzen
list-filter-label = Nach Status filtern
list-all = Alle
list-caption = Anfragen, neueste zuerst
list-verified = Mit NumVerify bestätigt
list-nothing-matches = Keine Treffer.
list-nothing-on-page = Auf dieser Seite ist nichts.
list-none-yet = Noch keine Anfragen.
col-received = Eingegangen
col-name = Name
col-email = E-Mail
col-phone = Telefon
col-preferred-time = Gewünschte Zeit
col-status = Status
col-role = Rolle
col-last-sign-in = Letzte Anmeldung
col-change = Ändern
col-when = Wann
col-who = Wer
col-action = Aktion
col-from = Von
col-submissions = Anfragen
pager-label = Seiten
pager-newer = ← Neuere
pager-older = Ältere →
pager-position = Seite { $page } von { $pages } · { $total } insgesamt
policy-kept-days = Aufbewahrt: jede Anfrage { $days } Tage, Spam { $spam } Tage, dann endgültig gelöscht
policy-kept-forever = Aufbewahrt: jede Anfrage bis zum Löschen, Spam { $spam } Tage, dann endgültig gelöscht

detail-back = ← Alle Anfragen
detail-no-message = Keine Nachricht.
detail-notes = Notizen
detail-no-notes = Noch keine Notizen.
detail-add-note = Notiz hinzufügen
detail-add-note-button = Notiz speichern
detail-notifications = Benachrichtigungen
detail-delete = Löschen
detail-delete-hint = Entfernt diese Anfrage und ihre Notizen endgültig (für Löschanträge).
detail-delete-button = Anfrage löschen
notification-state = { $state ->
    [pending] ausstehend
    [delivered] zugestellt
   *[failed] gescheitert
}
notification-channel = { $channel ->
    [email] E-Mail
   *[webhook] Webhook
}
notification-next-try = nächster Versuch
notification-at = am
notification-attempts = { $count ->
    [one] { $count } Versuch
   *[other] { $count } Versuche
}
notification-last-error = Letzter Fehler:
notification-resend = Erneut senden

audit-user-label = Nur, was dieser Benutzer getan hat
audit-filter = Filtern
audit-caption = Aktionen der Verwaltung, neueste zuerst
audit-nothing = Noch nichts.
audit-action = { $action ->
    [sign_in] Anmeldung
    [sign_in_failed] Anmeldung gescheitert
    [sign_in_unlock] Anmeldung entsperrt
    [view] angesehen
    [note] Notiz
    [status] Status
    [delete] gelöscht
    [notification_resend] Benachrichtigung erneut gesendet
    [export] Export
    [backup] Sicherung
    [rotate_key] Schlüsselwechsel
    [retention_purge] Aufbewahrungsfrist: gelöscht
    [person_view] Person angesehen
    [person_export] Person exportiert
    [person_erase] Person gelöscht
    [user_add] Benutzer hinzugefügt
    [user_confirm] Benutzer bestätigt
    [user_reset] Benutzer zurückgesetzt
    [user_role] Rolle geändert
    [user_remove] Benutzer entfernt
   *[other] { $action }
}

people-title = Daten einer Person
people-email = Ihre genaue E-Mail-Adresse
people-find = Finden
people-erased = { $count ->
    [one] { $count } Anfrage dieser Adresse gelöscht, mit ihren Notizen und Benachrichtigungen.
   *[other] { $count } Anfragen dieser Adresse gelöscht, mit ihren Notizen und Benachrichtigungen.
}
people-how = Für einen Auskunfts- oder Löschantrag: Finden Sie die Person über die genaue Adresse, von der sie geschrieben hat.
people-caption = { $count ->
    [one] { $count } Anfrage von dieser Adresse, neueste zuerst
   *[other] { $count } Anfragen von dieser Adresse, neueste zuerst
}
people-download = Alles herunterladen (JSON)
people-erase-link = Alles löschen …
people-erase-question = { $count ->
    [one] { $count } Anfrage endgültig löschen?
   *[other] { $count } Anfragen endgültig löschen?
}
people-erase-warning = Ihre Notizen und Benachrichtigungen werden mitgelöscht und lassen sich nicht wiederherstellen (Sicherungen behalten sie, bis diese ablaufen).
people-erase = Endgültig löschen
people-nothing = Von dieser Adresse ist nichts gespeichert.

users-caption = Die Verwaltenden, nach Namen
users-waits = Wartet auf einen ersten Code aus der App:
users-role-of = Rolle von { $name }
users-never = nie
users-reset = Zurücksetzen
users-reset-label = Neuer Authenticator und neue Wiederherstellungscodes für { $name }
users-remove = Entfernen
users-remove-label = { $name } entfernen
users-none = Noch keine Benutzer: Das gemeinsame TOTP_SECRET meldet an. Sobald Sie einen hinzufügen, melden sich nur noch Benutzer an (fügen Sie sich zuerst selbst als Eigentümer hinzu).
users-add = Benutzer hinzufügen
users-password = Erstes Passwort
users-password-rule = (mindestens { $min } Zeichen)
users-add-button = Hinzufügen
users-roles-hint = Leser lesen; Bearbeiter schreiben auch Notizen und ändern den Status; Eigentümer löschen auch, exportieren, bearbeiten Personenanfragen, lesen das Protokoll und verwalten Benutzer.
users-name-rule = Ein Benutzername hat 1 bis 64 Zeichen: a-z, 0-9, '.', '_' und '-'.
users-role-rule = Eine Rolle ist owner, editor oder viewer.
users-password-short = Ein Passwort hat mindestens { $min } Zeichen.
users-password-unusable = Dieses Passwort lässt sich nicht verwenden. Bitte wählen Sie ein anderes.
users-exists = Einen Benutzer namens { $name } gibt es schon.
users-unknown = Es gibt keinen Benutzer namens { $name }.
users-last-owner = { $name } ist der letzte Eigentümer: Machen Sie zuerst einen anderen Benutzer zum Eigentümer.
users-code-wrong = Dieser Code stimmt nicht: Prüfen Sie die Uhr der App und versuchen Sie den nächsten.

enrol-title = { $name } einrichten
enrol-scan = { $name } scannt diesen Code mit der Authenticator-App. Er wird nur jetzt angezeigt.
enrol-qr = QR-Code des Authenticator-Links
enrol-key = Oder diesen Schlüssel in die App eingeben:
enrol-link = Der Link selbst
enrol-recovery = Wiederherstellungscodes
enrol-recovery-hint = Jeder meldet einmal anstelle eines Codes an, wenn das Telefon verloren ist. { $name } bewahrt sie sicher auf.
enrol-code = Ein Code aus der App von { $name }
enrol-until = Bis ein erster Code bestätigt ist, kann sich { $name } nicht anmelden.

## Emails

email-hello = Hallo,
email-receipt = Danke für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns bei Ihnen.
email-receipt-at = Danke für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns bei Ihnen (Sie haben { $time } gewählt).
email-automatic = Dies ist eine automatische Nachricht; Sie müssen nicht darauf antworten.
email-receipt-subject = Wir haben Ihre Anfrage erhalten
email-owner-subject = Neue Kontaktanfrage #{ $id }
email-owner-arrived = Eine neue Kontaktanfrage ist eingegangen.
email-owner-request = Anfrage
email-owner-phone-check = Telefonprüfung
email-owner-language = Sprache
email-owner-open = Anfrage #{ $id } öffnen
email-test-subject = ContactClient-Testnachricht
email-test-body = Dies ist ein Test der E-Mail-Einstellungen von ContactClient. Es ist nichts zu tun.
