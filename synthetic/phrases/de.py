"""German (de) phrase bank for the synthetic helpdesk history generator."""

from synthetic.phrasebank import PhraseBank

BANK = PhraseBank(
    language="de",
    subject={
        "billing_payment": [
            "Doppelte Abbuchung",
            "Rechnung {invoice_id}",
            "Frage zur Rechnung",
            "Falscher Betrag abgebucht",
            "Dringend: zweimal abgebucht!",
            "Rückerstattung noch nicht erhalten",
            "Zahlung fehlgeschlagen",
            "Lastschrift zurückgegangen – was nun?",
            "Nimbus Pay: Abo wird nach Kündigung weiter berechnet",
            "Rechnung",
            "Abbuchung über {amount} – bitte prüfen",
            "Erstattung für Bestellung {order_id}",
            "Zahlung funktioniert nicht",
            "Warum wurden mir {amount} berechnet?",
        ],
        "technical_fault": [
            "Störung",
            "{product} funktioniert nicht",
            "Router verliert ständig die Verbindung",
            "Dringend: kein Internet seit {days} Tagen",
            "Fehlermeldung bei der Synchronisation",
            "App stürzt beim Start ab",
            "Synchronisation hängt",
            "Frage zu {product}",
            "Backup bricht ab",
            "WLAN bricht dauernd ab",
            "Störung seit {date}",
            "Nimbus Home App lädt nicht mehr",
            "Technisches Problem",
            "Geht seit gestern gar nichts mehr",
        ],
        "account": [
            "Login nicht möglich",
            "Konto gesperrt",
            "Passwort zurücksetzen funktioniert nicht",
            "2FA-Code kommt nicht an",
            "Frage zum Konto",
            "Inhaberwechsel",
            "Antrag auf Löschung meiner Daten (DSGVO)",
            "Auskunft nach Art. 15 DSGVO",
            "Dringend: komme nicht mehr in mein Konto",
            "E-Mail-Adresse ändern",
            "Neues Handy, Zwei-Faktor-Authentifizierung weg",
            "Kundenkonto",
            "Zugang gesperrt – bitte entsperren",
            "Fremde Logins in meinem Konto",
        ],
        "shipping_returns": [
            "Wo bleibt meine Bestellung {order_id}?",
            "Lieferung verspätet",
            "Paket beschädigt angekommen",
            "Retourenschein",
            "Rücksendung {order_id}",
            "Erstattung nach Rücksendung fehlt",
            "Dringend: Router immer noch nicht geliefert",
            "Frage zur Lieferung",
            "Falscher Artikel geliefert",
            "Sendungsverfolgung zeigt seit Tagen nichts",
            "Umtausch {product}",
            "Bestellung",
            "Paket als zugestellt markiert, aber nicht da",
            "Austauschgerät fehlt noch",
        ],
        "data_migration": [
            "Datenimport aus Altsystem",
            "Fehlende Datensätze nach Migration",
            "CSV-Import funktioniert nicht",
            "Dringend: Migration muss bis {date} fertig sein",
            "Migration {product}",
            "Importfehler",
            "Frage zum Import",
            "Umlaute nach Import kaputt",
            "Stichtag Datenübernahme",
            "Datenmigration hängt seit {days} Tagen",
            "Kundendaten unvollständig übernommen",
            "Doppelte Einträge nach Import",
            "Migration",
            "Störung beim Import – Go-live in Gefahr",
        ],
        "feature_request": [
            "Verbesserungsvorschlag",
            "Wunsch: Dunkelmodus in der App",
            "Feature-Wunsch für {product}",
            "Anregung",
            "Idee",
            "Frage: Ist eine Exportfunktion geplant?",
            "Vorschlag zur Rechnungsübersicht",
            "Mehrere Benutzer pro Konto?",
            "Bitte um Funktion: zeitgesteuertes Backup",
            "Gastnetz per App einrichten",
            "API-Zugang für die Business Suite",
            "Kleiner Wunsch",
            "Wäre toll, wenn …",
            "Feedback zu {product}",
        ],
    },
    customer_greeting=[
        "Sehr geehrte Damen und Herren,",
        "Hallo,",
        "Hallo zusammen,",
        "Guten Tag,",
        "Hallo Nimbus-Team,",
        "Moin,",
        "Servus,",
        "Grüß Gott,",
        "Liebes Nimbus-Team,",
        "Hi,",
        "Guten Morgen,",
        "Guten Abend,",
        "Hallo Support,",
        "Sehr geehrtes Nimbus-Team,",
        "Hallo liebes Support-Team,",
        "Grüezi,",
        "Tag zusammen,",
        "",
    ],
    customer_signoff=[
        "Mit freundlichen Grüßen\n{name}",
        "Viele Grüße\n{name}",
        "VG {name}",
        "LG {name}",
        "Danke und Gruß\n{name}",
        "Gruß {name}",
        "Beste Grüße\n{name}",
        "Freundliche Grüße\n{name}",
        "Danke im Voraus!\n{name}",
        "Vielen Dank und schöne Grüße\n{name}",
        "MfG\n{name}",
        "{name}",
        "Schönen Tag noch\n{name}",
        "Liebe Grüße,\n{name}",
        "Ciao {name}",
        "Ich freue mich auf Ihre Antwort.\n\nMit freundlichen Grüßen\n{name}",
        "Gesendet von meinem iPhone",
        "",
    ],
    problem={
        "billing_payment": [
            "Mir wurde die Rechnung {invoice_id} über {amount} zweimal von meinem Konto abgebucht.",
            (
                "Auf meinem Kontoauszug sehe ich am {date} zwei identische Abbuchungen von Nimbus über je "
                "{amount}."
            ),
            (
                "Die Zahlung für mein Abo bei {product} ist fehlgeschlagen, obwohl meine Karte gedeckt ist. "
                "Jetzt bekomme ich Zahlungserinnerungen."
            ),
            "Ich warte seit {days} Tagen auf die zugesagte Rückerstattung von {amount}.",
            (
                "Auf der Rechnung {invoice_id} steht ein anderer Betrag als vereinbart. Statt des "
                "Monatspreises wurden {amount} berechnet."
            ),
            "Ihr habt per Lastschrift {amount} eingezogen, obwohl ich das Abo zum {date} gekündigt habe.",
            (
                "Ich habe eine Rechnung {invoice_id} bekommen, kann sie aber keiner Bestellung zuordnen. "
                "Können Sie mir sagen, wofür die {amount} sind?"
            ),
            (
                "Meine Lastschrift ist zurückgegangen und jetzt wurde eine Gebühr draufgeschlagen. Ich weiß "
                "nicht, warum die Abbuchung nicht geklappt hat."
            ),
            "Bei Nimbus Pay hängt eine Zahlung über {amount} seit dem {date} im Status „ausstehend“.",
            (
                "Ich brauche für meine Buchhaltung eine korrigierte Rechnung. Auf {invoice_id} steht noch "
                "unsere alte Firmenanschrift."
            ),
            (
                "Für die Bestellung {order_id} wurde mir der volle Preis berechnet, der Rabattcode wurde "
                "nicht abgezogen."
            ),
            "Nach dem Tarifwechsel werden mir beide Tarife berechnet, der alte und der neue.",
            (
                "Die Umsatzsteuer auf der Rechnung {invoice_id} ist falsch ausgewiesen. Wir sind ein "
                "Unternehmen mit USt-IdNr."
            ),
            (
                "Kurze Frage: Die letzte Abbuchung waren {amount}, sonst zahle ich weniger. Hat sich der "
                "Preis geändert?"
            ),
        ],
        "technical_fault": [
            (
                "Mein {product} verliert seit ein paar Tagen mehrmals am Tag die Verbindung. Dann hilft nur "
                "noch ein Neustart."
            ),
            "Seit dem {date} habe ich überhaupt kein Internet mehr, die Status-LED am Router blinkt rot.",
            "Die Synchronisation in Nimbus Cloud Backup bleibt bei 87 % stehen und macht nicht weiter.",
            (
                "Die Nimbus Home App stürzt direkt nach dem Öffnen ab, ich komme gar nicht bis zum "
                "Startbildschirm."
            ),
            "Beim Backup bekomme ich die Fehlermeldung „Verbindung zum Server fehlgeschlagen (Code 503)“.",
            "{product} funktioniert nicht. Ich habe nichts verändert, seit gestern geht einfach nichts mehr.",
            (
                "Das WLAN vom Router X2 ist im ganzen Haus extrem langsam, obwohl der Vertrag 250 Mbit "
                "verspricht."
            ),
            "Nach dem letzten Firmware-Update startet der Router in einer Schleife immer wieder neu.",
            "Dateien, die ich am Laptop lösche, tauchen nach der Synchronisation wieder auf.",
            "In der Home App werden alle meine Geräte als offline angezeigt, obwohl sie im Netz sind.",
            (
                "Die Business Suite lädt seit heute Morgen nicht mehr, wir sehen nur eine weiße Seite. Das "
                "betrifft das ganze Team."
            ),
            (
                "Die Wiederherstellung aus dem Backup bricht jedes Mal mit einem Fehler ab. Ich komme nicht "
                "an meine Fotos."
            ),
            "Alle paar Stunden ist die Verbindung für ein paar Minuten weg, besonders abends.",
            "Hab ein Problem mit {product}: Fehlermeldung „Gerät nicht erreichbar“, egal was ich mache.",
        ],
        "account": [
            (
                "Ich kann mich nicht mehr in mein Konto einloggen. Es kommt immer „Benutzername oder "
                "Passwort falsch“, obwohl ich das Passwort gerade zurückgesetzt habe."
            ),
            "Der 2FA-Code per SMS kommt nicht an, dadurch komme ich nicht in mein Konto.",
            (
                "Mein Konto wurde gesperrt, angeblich wegen verdächtiger Aktivitäten. Ich habe nichts "
                "Ungewöhnliches gemacht."
            ),
            (
                "Ich habe ein neues Handy und die Authenticator-App ist weg. Wie komme ich jetzt wieder in "
                "mein Konto?"
            ),
            "Die E-Mail zum Zurücksetzen des Passworts kommt nicht an, auch nicht im Spam-Ordner.",
            (
                "Mein Vater ist verstorben und ich möchte seinen Vertrag für {product} auf mich übertragen "
                "lassen."
            ),
            "Hiermit beantrage ich gemäß Art. 17 DSGVO die Löschung aller meiner personenbezogenen Daten.",
            "Ich bitte um Auskunft nach Art. 15 DSGVO, welche Daten Sie über mich gespeichert haben.",
            (
                "Unsere Firma wurde umfirmiert, deshalb brauchen wir einen Inhaberwechsel für unser "
                "Business-Konto."
            ),
            (
                "Ich möchte die E-Mail-Adresse meines Kontos ändern, habe aber keinen Zugriff mehr auf die "
                "alte Adresse."
            ),
            (
                "Jemand hat offenbar mein Passwort geändert, ich bekomme Benachrichtigungen über Logins, die "
                "nicht von mir sind."
            ),
            "Nach der Anmeldung lande ich immer wieder auf der Login-Seite, eine Endlosschleife.",
            (
                "Für unsere Business Suite soll ein Kollege Admin-Rechte bekommen. Der bisherige Admin hat "
                "das Unternehmen verlassen."
            ),
        ],
        "shipping_returns": [
            (
                "Ich habe am {date} einen Router X2 bestellt (Bestellnummer {order_id}) und bis heute nichts "
                "erhalten."
            ),
            "Die Sendungsverfolgung für Bestellung {order_id} zeigt seit {days} Tagen keinen neuen Status.",
            (
                "Das Paket kam heute an, aber der Karton war eingedrückt und das Gehäuse des Routers ist "
                "gebrochen."
            ),
            "Ich möchte den Router zurückschicken und brauche dafür einen Retourenschein.",
            (
                "Die Rücksendung habe ich am {date} abgegeben, die Erstattung über {amount} ist aber noch "
                "nicht da."
            ),
            (
                "Laut DHL wurde das Paket zugestellt, bei mir ist aber nichts angekommen, auch nicht bei den "
                "Nachbarn."
            ),
            "In meinem Paket war das falsche Netzteil, der Stecker passt nicht.",
            (
                "Der Retourenschein aus dem Kundenkonto lässt sich nicht herunterladen, es kommt nur eine "
                "Fehlermeldung."
            ),
            "Ich habe versehentlich zwei Router bestellt und möchte einen davon zurückgeben.",
            "Die angekündigte Lieferung zum {date} wurde ohne Info einfach verschoben.",
            (
                "Mein Austauschgerät sollte laut Ihrem Kollegen innerhalb von {days} Tagen kommen, ist aber "
                "noch nicht da."
            ),
            "Die Rücksendung ist laut Tracking bei Ihnen angekommen, aber im Konto steht sie noch als offen.",
            (
                "Ich wohne in Österreich – liefert ihr den Router X2 überhaupt dorthin? Bestellung "
                "{order_id} hängt seit Tagen auf „in Bearbeitung“."
            ),
        ],
        "data_migration": [
            (
                "Wir migrieren gerade unsere Kundendaten aus dem alten CRM in die Nimbus Business Suite. "
                "Nach dem Import fehlen etwa 400 Datensätze."
            ),
            (
                "Der CSV-Import bricht bei Zeile 1.204 mit „ungültiges Format“ ab, obwohl die Datei genau "
                "nach Vorlage aufgebaut ist."
            ),
            "Nach dem Import sind alle Umlaute kaputt, aus „Müller“ wird „MÃ¼ller“.",
            (
                "Unser Stichtag für die Umstellung ist der {date}, und die Migration ist immer noch nicht "
                "abgeschlossen."
            ),
            (
                "Beim Import aus dem Altsystem wurden die Datumsfelder vertauscht, Tag und Monat stimmen "
                "nicht mehr."
            ),
            "Die Migration läuft seit {days} Tagen und steht laut Fortschrittsanzeige bei 60 %.",
            "Nach der Übernahme gibt es viele Kunden doppelt, manche sogar dreifach.",
            "Die Anhänge zu den Vorgängen wurden nicht mitmigriert, nur die Textfelder.",
            (
                "Wir möchten unsere Daten aus dem Altsystem übernehmen und wissen nicht, welches "
                "Exportformat Sie benötigen."
            ),
            "Beim Import der Rechnungsdaten stimmen die Summen nicht, offenbar fehlen die Nachkommastellen.",
            "Das Migrationsprotokoll meldet 0 Fehler, trotzdem fehlen im System ganze Kundengruppen.",
            (
                "Der Testimport hat funktioniert, der richtige Import mit allen Daten hängt aber seit "
                "gestern Abend."
            ),
            "Benutzerdefinierte Felder aus unserem alten System tauchen nach der Migration nirgends auf.",
        ],
        "feature_request": [
            "Ich fände es super, wenn man in der Home App einen Dunkelmodus einschalten könnte.",
            "Wäre es möglich, im Cloud Backup einzelne Ordner von der Sicherung auszuschließen?",
            "Mir fehlt in {product} eine Exportfunktion für alle Daten als CSV oder Excel.",
            "Könnt ihr im Router X2 ein zeitgesteuertes Gastnetz einbauen? Für Besuch wäre das praktisch.",
            "Wir hätten gern eine offene API für die Business Suite, um sie an unser ERP anzubinden.",
            (
                "Es wäre hilfreich, wenn mehrere Familienmitglieder ein gemeinsames Konto mit eigenen Logins "
                "nutzen könnten."
            ),
            "Ich wünsche mir eine Push-Benachrichtigung, wenn ein Backup fehlschlägt.",
            "Bitte bietet bei Nimbus Pay auch PayPal als Zahlungsart an.",
            "Eine Kindersicherung mit Zeitplänen direkt in der App wäre ein echter Gewinn.",
            (
                "Ich schlage vor, die Rechnungen zusätzlich als E-Rechnung (XRechnung oder ZUGFeRD) "
                "bereitzustellen."
            ),
            (
                "Könnte man die Oberfläche der Business Suite auch auf Englisch und Türkisch anbieten? "
                "Einige Kollegen würden sich freuen."
            ),
            "Bei der Migration wäre ein Probelauf mit Vorschau der Feldzuordnung sehr hilfreich.",
            (
                "Eine Versionierung im Backup, mit der man ältere Dateistände länger als 30 Tage zurückholen "
                "kann, würde ich sofort nutzen."
            ),
            "Ist geplant, dass der Router WPA3 auch im Mesh-Betrieb unterstützt?",
        ],
    },
    detail={
        "billing_payment": [
            "Meine Bank sagt, die Abbuchungen kommen eindeutig von Ihnen.",
            "Das Geld fehlt mir jetzt natürlich am Monatsende.",
            "Im Kundenkonto steht nur eine Zahlung, auf dem Kontoauszug sind es zwei.",
            "Die Kündigungsbestätigung vom {date} habe ich noch.",
            "Die Kreditkarte ist gültig, bei anderen Händlern funktioniert sie problemlos.",
            "Laut Onlinebanking ist der Betrag am {date} abgegangen.",
            "Ich habe schon zweimal versucht, die Zahlung in der App neu anzustoßen, ohne Erfolg.",
            "Laut Ihrer Mail vom {date} sollte die Erstattung innerhalb von {days} Werktagen kommen.",
            "Unsere Buchhaltung braucht das bis Monatsende, sonst können wir die Rechnung nicht verbuchen.",
            "Einen Screenshot vom Kontoauszug kann ich gern schicken.",
            "Im Chat wurde mir schon eine Gutschrift versprochen, passiert ist nichts.",
            "Die Gebühr meiner Bank für die geplatzte Lastschrift kommt noch obendrauf.",
            "Bisher lief die Abbuchung jeden Monat problemlos, erst seit dem {date} gibt es Ärger.",
        ],
        "technical_fault": [
            (
                "Router neu gestartet, auf Werkseinstellungen zurückgesetzt, andere Kabel probiert – alles "
                "ohne Erfolg."
            ),
            "Das Problem tritt seit dem Update am {date} auf.",
            "Ich arbeite im Homeoffice und bin auf eine stabile Verbindung angewiesen.",
            "App gelöscht und neu installiert, Handy neu gestartet, hilft alles nichts.",
            "Es passiert am Laptop genauso wie am Handy, am Gerät liegt es also nicht.",
            "Die Störung tritt meist abends zwischen 19 und 22 Uhr auf.",
            "Ein Bekannter mit demselben Router hat das gleiche Problem.",
            "Im Router-Log sehe ich immer wieder „PPPoE-Verbindung getrennt“.",
            "Die Fehlermeldung erscheint auch nach einer Neuinstallation wieder.",
            "Wir sind ein kleines Büro mit acht Leuten, gerade kann niemand richtig arbeiten.",
            "Ich habe jetzt {days} Tage abgewartet, ob es sich von selbst erledigt.",
            "Die Firmware ist laut App auf dem neuesten Stand.",
            "Laut Speicheranzeige ist noch genug Platz frei, daran kann es also nicht liegen.",
        ],
        "account": [
            "Ich habe es in drei verschiedenen Browsern und in der App versucht.",
            "Meine Handynummer hat sich nicht geändert, andere SMS kommen problemlos an.",
            "Ohne Zugang komme ich weder an meine Rechnungen noch an meine Backups.",
            "Cookies und Cache habe ich gelöscht, hat nichts gebracht.",
            "Die Sterbeurkunde und eine Vollmacht kann ich Ihnen zuschicken.",
            "Bitte bestätigen Sie mir die Erledigung schriftlich.",
            "Die Sperre kam direkt nach einem Login aus dem Urlaub im Ausland.",
            "Der Link in der Mail ist angeblich abgelaufen, obwohl ich ihn sofort angeklickt habe.",
            "Das Konto läuft auf meinen Namen, die Kundennummer steht auf der Rechnung {invoice_id}.",
            "Backup-Codes habe ich damals leider nicht aufgeschrieben.",
            "Seit dem {date} komme ich nicht mehr rein.",
            "Unser ehemaliger Admin ist nicht mehr erreichbar und kann den Zugang nicht übergeben.",
            "Ich habe das Passwort inzwischen dreimal zurückgesetzt.",
        ],
        "shipping_returns": [
            "Im Shop stand „Lieferung in 2–3 Werktagen“, inzwischen sind es {days}.",
            "Fotos vom beschädigten Karton und vom Gerät habe ich gemacht.",
            "Den Einlieferungsbeleg der Post habe ich noch.",
            "Ich war den ganzen Tag zu Hause, eine Benachrichtigungskarte gab es auch nicht.",
            "Bezahlt habe ich {amount} per Kreditkarte, das Geld ist längst abgebucht.",
            "Der Router war als Geschenk gedacht, der Termin ist jetzt vorbei.",
            "Die Originalverpackung habe ich noch, das Gerät ist unbenutzt.",
            "Der Paketdienst sagt, ich soll mich an den Händler wenden, also an Sie.",
            "Laut Tracking ist die Retoure seit dem {date} bei Ihnen.",
            "Ohne den Router habe ich derzeit kein Internet, der alte ist schon zurückgeschickt.",
            "Im Kundenkonto steht die Bestellung {order_id} weiterhin als „versandbereit“.",
            "Beim Paketdienst habe ich schon nachgefragt, die haben keine Infos.",
            "Die Sendung ging laut Tracking zurück an den Absender, warum auch immer.",
        ],
        "data_migration": [
            "Wir haben die Exportdatei zweimal neu erzeugt, das Ergebnis ist dasselbe.",
            "Die Datei ist UTF-8-kodiert und mit Semikolon getrennt, wie in Ihrer Anleitung beschrieben.",
            "Am {date} geht unser altes System endgültig vom Netz.",
            "Unser Vertrieb kann ohne die Kundendaten gerade keine Angebote schreiben.",
            "Das Fehlerprotokoll hänge ich an, es ist ziemlich lang.",
            "Im Altsystem sind es 12.480 Datensätze, bei Ihnen kommen nur 11.930 an.",
            "Angestoßen hat den Import unser IT-Dienstleister, der ist ebenfalls ratlos.",
            "Ein Testimport mit 50 Zeilen hat problemlos funktioniert.",
            "Wir haben dafür extra ein Wochenende eingeplant, das reicht jetzt nicht mehr.",
            "Die Feldzuordnung haben wir exakt nach Ihrer Vorlage vorgenommen.",
            "Betroffen sind vor allem Datensätze, die vor 2019 angelegt wurden.",
            "Bis zum Stichtag bleiben uns nur noch {days} Tage.",
            "Ihr Onboarding-Team hatte uns eine reibungslose Übernahme zugesagt.",
        ],
        "feature_request": [
            "Bei anderen Anbietern ist das längst Standard.",
            "Ich nutze {product} seit Jahren und bin sonst sehr zufrieden.",
            "Im Moment behelfe ich mich mit einem ziemlich umständlichen Workaround.",
            "Gerade abends ist die helle Oberfläche echt anstrengend für die Augen.",
            "Unsere IT würde das sehr begrüßen, weil wir dann viel Handarbeit sparen.",
            "Ich könnte mir vorstellen, dass das auch anderen Kunden hilft.",
            "Gern stehe ich auch für einen Betatest zur Verfügung.",
            "Das wäre für uns ein wichtiger Grund, auf den größeren Tarif zu wechseln.",
            "In Foren habe ich gesehen, dass sich das viele wünschen.",
            "Es muss nicht sofort sein, aber es wäre schön, wenn es auf der Roadmap landet.",
            "Aktuell exportiere ich alles von Hand, das kostet mich jede Woche eine Stunde.",
            "Mit Kindern im Haus wäre das wirklich Gold wert.",
            "Ein einfacher Schalter in den Einstellungen würde schon reichen.",
        ],
    },
    info_reply={
        "billing_payment": [
            "Die Rechnungsnummer ist {invoice_id}, abgebucht wurden jeweils {amount}.",
            "Die Abbuchungen erfolgten am {date}. Den Kontoauszug habe ich als PDF angehängt.",
            "Bezahlt habe ich per SEPA-Lastschrift, die IBAN endet auf 4711.",
            "Es ist eine Visa-Karte, die auf {name} läuft, Endziffern 0815.",
            "Ja, das Abo wurde am {date} gekündigt, die Bestätigung hänge ich an.",
            "Die Bestellnummer lautet {order_id}.",
            "Screenshot anbei. Sie sehen, dass zweimal {amount} abgegangen sind.",
            (
                "Die Firmenanschrift lautet: Muster GmbH, Hauptstraße 12, 80331 München. Die USt-IdNr. "
                "schicke ich separat."
            ),
            "Nein, ich habe keine zweite Bestellung aufgegeben. Es gibt nur die {order_id}.",
            "Die Erstattung soll bitte auf dasselbe Konto gehen, von dem abgebucht wurde.",
            "Hier die Angaben: Rechnung {invoice_id}, Betrag {amount}, Datum {date}.",
            (
                "In meinem Nimbus-Pay-Konto steht die Zahlung als „fehlgeschlagen“, auf meinem Bankkonto ist "
                "das Geld aber weg."
            ),
            "Den Tarif habe ich am {date} gewechselt, direkt in der App.",
        ],
        "technical_fault": [
            "Modell Router X2, Firmware 3.4.1, die Seriennummer steht auf dem Foto im Anhang.",
            "Ich habe ein Samsung Galaxy S23 mit Android 14, die App ist die aktuelle aus dem Play Store.",
            "Das Problem tritt seit dem {date} auf, vorher lief alles einwandfrei.",
            "Ja, ich habe den Router wie beschrieben 30 Sekunden vom Strom genommen. Keine Änderung.",
            "Die genaue Fehlermeldung lautet „Sync fehlgeschlagen – Code E-214“. Screenshot anbei.",
            "Betroffen sind alle Geräte, also Laptop, Handy und Fernseher.",
            "Den Log-Export aus dem Router habe ich angehängt.",
            "Ich nutze Windows 11 und den Backup-Client in Version 5.2.",
            "Das Kabel geht direkt in die Telefondose, da hängt nichts dazwischen.",
            "Speedtest dreimal gemacht, per LAN: 12, 8 und 15 Mbit statt 250.",
            "Betroffen sind etwa 15 Nutzer bei uns, alle mit Chrome.",
            "Nein, es gab weder einen Stromausfall noch Umbauten bei uns.",
            "Die LED blinkt abwechselnd rot und orange.",
        ],
        "account": [
            "Das Konto läuft auf die E-Mail-Adresse, von der ich gerade schreibe.",
            "Meine Kundennummer steht auf der letzten Rechnung {invoice_id}.",
            "Geburtsdatum und Anschrift habe ich im Formular angegeben, die Ausweiskopie ist im Anhang.",
            "Die Handynummer endet auf 37 und ist seit Jahren dieselbe.",
            "Der letzte erfolgreiche Login war am {date}.",
            "Ja, ich bin der Kontoinhaber. Die Vollmacht meiner Frau liegt bei.",
            "Sterbeurkunde und Erbschein habe ich eingescannt und angehängt.",
            "Neuer Inhaber ist {name}, den Handelsregisterauszug schicke ich mit.",
            "Ich hatte die Google-Authenticator-App, das alte Handy ist leider kaputt.",
            "Die Meldung lautet: „Konto vorübergehend gesperrt“.",
            "Ich nutze Firefox, aber in Chrome und in der App ist es dasselbe.",
            "Die Löschung soll alle Daten betreffen, auch die Backups. Das Konto soll komplett weg.",
        ],
        "shipping_returns": [
            "Die Bestellnummer ist {order_id}, bestellt habe ich am {date}.",
            "Fotos vom Paket und vom Gerät hänge ich an.",
            "Die Lieferadresse stimmt, ich habe sie eben nochmal im Konto geprüft.",
            "Die Sendungsnummer vom Einlieferungsbeleg lautet 0034 0433 2234 1122.",
            "Das Paket habe ich am {date} an der Packstation abgegeben.",
            "Ja, das Gerät ist unbenutzt und originalverpackt.",
            "Die Erstattung bitte auf die Kreditkarte, mit der ich bezahlt habe.",
            "Im Paket war nur der Router, Netzteil und Kabel fehlen.",
            "Ich bin tagsüber nicht da, Abgabe bei den Nachbarn ist okay.",
            "Der Schaden war schon beim Auspacken da, der Karton war an einer Ecke aufgerissen.",
            "Laut Tracking ist die Retoure am {date} bei Ihnen angekommen.",
            "Erstattet werden müssen {amount}, also der volle Kaufpreis.",
            "Lieber Ersatz als Geld zurück, ich brauche den Router ja.",
        ],
        "data_migration": [
            "Das Altsystem ist eine selbstgebaute Access-Datenbank, Export als CSV mit Semikolon.",
            "Importdatei und Fehlerprotokoll habe ich angehängt.",
            "Es fehlen vor allem Kontakte mit mehreren Adressen.",
            "Unser Stichtag ist der {date}, danach läuft die Lizenz des Altsystems aus.",
            "Die Job-ID laut Oberfläche ist 88213-B.",
            "Kodierung ist UTF-8 ohne BOM, geprüft mit Notepad++.",
            "Im Altsystem sind es 12.480 Kontakte, in der Business Suite nur 11.930.",
            "Angestoßen wurde der Import am {date} gegen 18 Uhr von unserem Admin.",
            "Ja, Sie dürfen für die Analyse auf unsere Testumgebung zugreifen.",
            "Betroffen sind die Felder Kundennummer, Zahlungsziel und Ansprechpartner.",
            "Wir nutzen Ihre Standardvorlage, nur mit zwei zusätzlichen Spalten am Ende.",
            "Ansprechpartner bei uns für technische Rückfragen ist {name}.",
            "Der Import wurde zweimal gestartet, beim ersten Mal hatten wir abgebrochen.",
        ],
        "feature_request": [
            "Genutzt würde das von etwa 20 Kollegen bei uns, täglich.",
            "Ich nutze die App auf einem iPhone 13 und einem iPad.",
            "Ideal wäre ein Export als CSV, Excel würde aber auch reichen.",
            "Wichtig wäre uns vor allem eine REST-Schnittstelle mit Webhooks.",
            "Am liebsten als Zeitplan pro Gerät, so wie man es von anderen Routern kennt.",
            "Es geht hauptsächlich um die Fotos, Dokumente sind weniger wichtig.",
            "Wir haben aktuell den Business-Tarif mit 25 Lizenzen.",
            "Ein Screenshot, wie ich mir das vorstelle, hängt an.",
            "Nein, eilig ist es nicht. Ich wollte es nur mal anregen.",
            "Konkret bräuchten wir XRechnung für unsere öffentlichen Auftraggeber.",
            "Ja, für einen Betatest können Sie mich gern vormerken.",
            "Es reicht, wenn es in der Web-Oberfläche kommt, die App ist zweitrangig.",
        ],
    },
    emotion=[
        [  # 0: ruhig/höflich
            "Ich hoffe, das lässt sich schnell klären.",
            "Das ist sicher nur ein Versehen, trotzdem würde ich mich über eine kurze Rückmeldung freuen.",
            "Ich mache mir ein bisschen Sorgen, weil ich nicht weiß, woran es liegt.",
            "Vielen Dank schon mal für Ihre Hilfe.",
            "Kein Stress, aber ich wäre froh, wenn sich jemand das ansieht.",
            "Ich bin etwas ratlos und hoffe auf Ihre Unterstützung.",
            "Ansonsten bin ich mit Nimbus sehr zufrieden, deshalb wundert mich das.",
            "Es ist nicht dramatisch, aber ein wenig lästig.",
            "Ich bin mir nicht sicher, ob ich vielleicht etwas falsch gemacht habe.",
            "Über eine Lösung würde ich mich sehr freuen.",
            "Ich gehe davon aus, dass sich das leicht beheben lässt.",
            "Vielleicht haben Sie ja einen Tipp für mich.",
            "Danke fürs Anschauen, eilt nicht.",
        ],
        [  # 1: ungeduldig
            "Langsam wird es etwas lästig.",
            "Ich hätte schon gern bald eine Lösung.",
            "So richtig verstehe ich nicht, warum das so lange dauert.",
            "Ehrlich gesagt nervt das inzwischen.",
            "Ich habe nicht ewig Zeit, mich darum zu kümmern.",
            "Ich bitte um zügige Bearbeitung.",
            "Das sollte doch eigentlich kein großes Problem sein.",
            "Ich bin etwas genervt, weil ich dafür schon viel Zeit verloren habe.",
            "Es wäre schön, wenn sich jetzt mal jemand darum kümmert.",
            "Ein bisschen mehr Tempo wäre wirklich angebracht.",
            "Ich bin ehrlich gesagt etwas enttäuscht.",
            "Das kostet mich gerade mehr Nerven als nötig.",
            "Hätte nicht gedacht, dass so etwas bei euch so kompliziert ist.",
        ],
        [  # 2: verärgert
            "Ich bin wirklich verärgert.",
            "Das ist absolut inakzeptabel.",
            "So geht man nicht mit zahlenden Kunden um.",
            "Meine Geduld ist langsam am Ende.",
            "Ich bin stinksauer, ehrlich.",
            "Das ärgert mich maßlos, zumal ich immer pünktlich zahle.",
            "Ich fühle mich hier ziemlich im Stich gelassen.",
            "Ich verstehe nicht, wie so etwas passieren kann, und es macht mich wütend.",
            "Das ist ein Ärgernis sondergleichen.",
            "Mit Service hat das nichts mehr zu tun.",
            "Ich habe echt die Nase voll.",
            "Das ist einfach nur frustrierend.",
            "Ich bin sprachlos, und zwar nicht im positiven Sinn.",
        ],
        [  # 3: wütend
            "Ich bin fassungslos und unfassbar wütend.",
            "Mir platzt gleich der Kragen.",
            "Das ist eine absolute Frechheit!",
            "Ich könnte gerade schreien vor Wut.",
            "Was für eine bodenlose Unverschämtheit.",
            "Ich habe selten so eine Zumutung erlebt.",
            "Es reicht mir endgültig!",
            "Ich bin mit den Nerven am Ende und stocksauer.",
            "Das ist an Dreistigkeit kaum zu überbieten.",
            "Ich glaube, ich bin im falschen Film.",
            "Das ist der blanke Hohn.",
            "Jetzt ist wirklich Schluss mit lustig.",
            "Ich koche vor Wut, ehrlich.",
        ],
    ],
    chaser=[
        [  # 0: ruhig/höflich
            "Gibt es hierzu schon etwas Neues?",
            "Ich wollte nur kurz nachfragen, ob meine Nachricht angekommen ist.",
            "Hallo nochmal, gibt es einen Zwischenstand?",
            "Darf ich mich nach dem Stand meiner Anfrage erkundigen?",
            "Kurze Erinnerung an mein Anliegen von letzter Woche.",
            "Hatten Sie schon Gelegenheit, sich das anzusehen?",
            "Ich melde mich noch einmal wegen meiner Anfrage {ticket}.",
            "Gibt es schon Neuigkeiten? Danke!",
            "Nur ein freundliches Nachhaken: Ist mein Fall schon in Bearbeitung?",
            "Ich habe bisher keine Antwort erhalten und wollte sichergehen, dass nichts untergegangen ist.",
            "Können Sie mir sagen, wie lange es ungefähr noch dauert?",
            "Ich frage nochmal nach, da ich noch nichts gehört habe.",
        ],
        [  # 1: ungeduldig
            "Ich warte immer noch auf eine Antwort.",
            "Seit {days} Tagen keine Rückmeldung. Wie ist der Stand?",
            "Hallo? Ist da jemand?",
            "Ich hake nochmal nach. Wann kann ich mit einer Antwort rechnen?",
            "Schon wieder keine Antwort. Bitte melden Sie sich.",
            "Ich hatte eigentlich schon mit einer Lösung gerechnet.",
            "Wie lange dauert das denn noch?",
            "Bitte um ein kurzes Update, ich warte seit dem {date}.",
            "Gibt's jetzt endlich was Neues?",
            "Es wäre nett, wenigstens einen Zwischenstand zu bekommen.",
            "Mein Ticket {ticket} ist seit Tagen unbeantwortet.",
            "Tut sich da noch was?",
        ],
        [  # 2: verärgert
            "Seit {days} Tagen keine Reaktion. Das kann doch nicht Ihr Ernst sein.",
            "Ich warte und warte, und es passiert einfach nichts.",
            "Ist es wirklich zu viel verlangt, mal eine Antwort zu bekommen?",
            "Wieder nichts gehört. Langsam reicht es.",
            "Ich erwarte jetzt umgehend eine Antwort.",
            "Funkstille seit dem {date}. Toller Service.",
            "Warum antwortet hier eigentlich niemand?",
            "Ich habe keine Lust mehr, Ihnen ständig hinterherzulaufen.",
            "Das Ticket {ticket} liegt offenbar einfach nur rum.",
            "Muss man bei Ihnen erst dreimal schreiben, bis sich jemand rührt?",
            "Eine automatische Eingangsbestätigung ist keine Antwort.",
            "Ich erwarte heute noch eine Rückmeldung.",
        ],
        [  # 3: wütend
            "Schläft bei Ihnen eigentlich jeder?",
            "{days} Tage ohne eine einzige Antwort. Das ist lächerlich!",
            "Ich habe die Schnauze voll, ständig ignoriert zu werden!",
            "Arbeitet bei Ihnen überhaupt noch jemand?",
            "Unglaublich. Wieder keine Antwort. Was ist das für ein Laden?",
            "Hallo?! Ich warte seit dem {date}! Melden Sie sich endlich!",
            "Es ist einfach nur peinlich, wie Sie Ihre Kunden ignorieren.",
            "Wie oft soll ich noch schreiben, bis sich endlich jemand bequemt?",
            "Antwortet hier noch irgendwer, oder kann ich das Ticket gleich in den Müll werfen?",
            "Jetzt reicht's. Ich will sofort eine Antwort!",
            "Funkstille. Mal wieder. Einfach nur erbärmlich.",
            "Ihr lasst mich hier seit Tagen hängen, das ist eine Unverschämtheit!",
        ],
    ],
    not_fixed=[
        [  # 0: ruhig/höflich
            "Danke für die Antwort, leider hat das nicht geholfen.",
            "Ich habe Ihren Vorschlag ausprobiert, das Problem besteht aber weiterhin.",
            "Vielen Dank, aber es funktioniert leider immer noch nicht.",
            "Das habe ich gemacht, leider ohne Erfolg.",
            "Leider tritt der Fehler nach wie vor auf.",
            "Danke für den Tipp. Es hat kurz funktioniert, jetzt ist es wieder wie vorher.",
            "Ich fürchte, das war es nicht. Gibt es noch eine andere Möglichkeit?",
            "Ich habe alle Schritte befolgt, aber das Ergebnis ist dasselbe.",
            "Leider hat sich an der Situation nichts geändert.",
            "Danke, aber meine eigentliche Frage ist damit leider nicht beantwortet.",
            "Das hatte ich vorher schon probiert, wie in meiner ersten Nachricht beschrieben.",
            "Schade, das hat leider nichts gebracht.",
        ],
        [  # 1: ungeduldig
            "Das hat nicht funktioniert. Was jetzt?",
            "Dass ich das schon probiert habe, stand bereits in meiner ersten Mail.",
            "Leider wieder nicht gelöst. Haben Sie noch eine Idee, die wirklich hilft?",
            "Hat nichts gebracht. Bitte schauen Sie sich das genauer an.",
            "Das ist keine Lösung, das Problem ist immer noch da.",
            "Bitte lesen Sie meine Nachricht nochmal, das geht am Problem vorbei.",
            "Nein, immer noch dasselbe.",
            "Ich habe das jetzt zum zweiten Mal gemacht. Es ändert nichts.",
            "Standardantworten helfen mir hier nicht weiter.",
            "Ihr Vorschlag hat das Problem nicht behoben, eher im Gegenteil.",
            "Das hilft mir leider null.",
            "Funktioniert trotzdem nicht. Gibt es noch einen anderen Lösungsweg?",
        ],
        [  # 2: verärgert
            "Das war jetzt schon der dritte Vorschlag, der nicht funktioniert.",
            "Haben Sie meine Nachricht überhaupt gelesen? Genau das habe ich schon gemacht.",
            "Nein, das Problem ist nicht gelöst, auch wenn Sie das Ticket einfach geschlossen haben.",
            "Ich bekomme nur Textbausteine, aber keine Lösung.",
            "Das ist doch keine Antwort auf mein Problem.",
            "Ihr Tipp war nutzlos, es ist alles wie vorher.",
            "Ich habe keine Lust, zum fünften Mal dieselben Schritte durchzugehen.",
            "Schön, dass Sie das für gelöst halten. Ist es aber nicht.",
            "Nichts davon hat geholfen, und ich verliere langsam die Geduld.",
            "Warum schlagen Sie mir Dinge vor, die ich längst ausprobiert habe?",
            "Ihre Lösung funktioniert nicht. Ich erwarte, dass sich das jetzt jemand richtig ansieht.",
            "So kommen wir nicht weiter, das Problem besteht unverändert.",
        ],
        [  # 3: wütend
            "Das ist doch ein Witz. Natürlich funktioniert es immer noch nicht!",
            "Wollen Sie mich eigentlich verarschen? Das habe ich alles schon dreimal gemacht.",
            "Ihre sogenannte Lösung ist völliger Unsinn.",
            "Lesen Sie eigentlich, was ich schreibe, oder kopieren Sie nur Textbausteine?",
            "Nichts ist gelöst! Gar nichts!",
            "Hören Sie auf, mir immer wieder denselben Mist vorzuschlagen.",
            "Noch so eine nutzlose Antwort und ich drehe durch.",
            "Bravo. Wieder nichts gelöst, aber das Ticket auf erledigt gesetzt.",
            "Das ist die dümmste Antwort, die ich je von einem Support bekommen habe.",
            "Es funktioniert nicht, es hat nie funktioniert, und Ihre Tipps sind wertlos.",
            "Herzlichen Glückwunsch, Sie haben das Problem noch schlimmer gemacht.",
            "Ich fasse es nicht. Wieder eine Antwort, die komplett am Thema vorbeigeht.",
        ],
    ],
    reopen=[
        [  # 0: ruhig/höflich
            "Leider ist das Problem wieder aufgetreten.",
            "Ich muss mich nochmal melden: Seit dem {date} habe ich wieder denselben Fehler.",
            "Es lief ein paar Tage gut, jetzt ist das Problem leider zurück.",
            "Ich dachte, es wäre erledigt, aber es geht wieder los.",
            "Ich beziehe mich auf mein Ticket {ticket} – der Fehler ist leider wieder da.",
            "Hallo nochmal, das alte Problem ist leider wieder aufgetaucht.",
            "Leider muss ich das Ticket wieder öffnen, es tritt erneut auf.",
            "Die Lösung hat leider nur vorübergehend geholfen.",
            "Seit gestern passiert genau dasselbe wie beim letzten Mal.",
            "Ich wollte Bescheid geben, dass der Fehler zurückgekehrt ist.",
            "Kurze Info: Nach {days} Tagen ist das Problem wieder da.",
            "Es tut mir leid, Sie nochmal zu behelligen, aber es ist wieder passiert.",
        ],
        [  # 1: ungeduldig
            "Das Problem ist wieder da. Ich dachte, das wäre erledigt.",
            "Schon wieder derselbe Fehler wie letzte Woche.",
            "Ihr hattet das Ticket geschlossen, aber das Problem besteht wieder.",
            "Und da ist es wieder. Offenbar wurde nur das Symptom behoben.",
            "Es hat genau {days} Tage gehalten.",
            "Bitte nehmen Sie das Ticket {ticket} wieder auf, das Problem ist zurück.",
            "Leider war das keine dauerhafte Lösung.",
            "Ich muss schon wieder schreiben, gleiches Problem wie zuvor.",
            "Anscheinend war es doch nicht gelöst.",
            "Wieder dasselbe Spiel wie vor ein paar Tagen.",
            "Es geht wieder nicht. Wie schon beim letzten Mal.",
            "Ich hätte erwartet, dass es diesmal richtig behoben wird.",
        ],
        [  # 2: verärgert
            "Das Problem ist schon wieder da! Was haben Sie da eigentlich behoben?",
            "Zum wiederholten Mal dasselbe. Das Ticket hätte nie geschlossen werden dürfen.",
            "Ihr habt das Ticket als gelöst markiert, gelöst war aber gar nichts.",
            "Das ist jetzt das zweite Mal, dass der Fehler zurückkommt. Ich bin verärgert.",
            "Wieder kaputt. Ich erwarte endlich eine dauerhafte Lösung.",
            "Toll, kaum ist das Ticket zu, geht es wieder los.",
            "Offensichtlich hat sich niemand das eigentliche Problem angesehen.",
            "Das Problem ist zurück, und ich habe keine Lust, alles nochmal zu erklären.",
            "Es ist wieder genau wie vorher. Das ist inakzeptabel.",
            "Ich habe Ihnen geglaubt, dass es erledigt ist. Ein Fehler, wie sich zeigt.",
            "Seit dem {date} wieder derselbe Mist.",
            "Wie oft soll dieser Fehler eigentlich noch wiederkommen?",
        ],
        [  # 3: wütend
            "Schon wieder! Ihr habt gar nichts repariert, nur das Ticket zugemacht!",
            "Unfassbar. Das Problem ist zum dritten Mal zurück.",
            "Ihr schließt Tickets, ohne irgendwas zu lösen. Was für ein Witz.",
            "Es ist wieder kaputt, und ich bin es so leid!",
            "Gelöst? Dass ich nicht lache. Alles wieder wie vorher.",
            "Ich könnte in die Tischkante beißen – der Fehler ist schon wieder da.",
            "Was habt ihr da eigentlich gemacht? Offensichtlich gar nichts!",
            "Glückwunsch, der Fehler ist wieder da. Hätte mich auch gewundert, wenn nicht.",
            "Ihr habt mir ins Gesicht gelogen, als ihr gesagt habt, es sei behoben.",
            "Ich fasse es nicht, wieder exakt derselbe Fehler!",
            "Wie kann man so inkompetent sein? Es geht schon wieder nicht!",
            "Ticket geschlossen, Problem offen. Typisch.",
        ],
    ],
    repeat_contact=[
        "Das ist jetzt schon das dritte Mal, dass ich mich deswegen melde.",
        "Ich habe bereits am {date} geschrieben und zusätzlich angerufen.",
        "Ich habe das Ganze schon zweimal am Telefon erklärt.",
        "Wie bereits in meinen letzten Nachrichten geschrieben: Das Problem besteht weiterhin.",
        "Meine Anfrage {ticket} ist schon die vierte zu diesem Thema.",
        "Jedes Mal muss ich wieder von vorn anfangen und alles neu erklären.",
        "Ich habe mit drei verschiedenen Mitarbeitern gesprochen, und jeder sagt etwas anderes.",
        "Schon letzte Woche hat mir Ihre Kollegin versprochen, dass sich jemand meldet.",
        "Ich schreibe Ihnen nun bereits zum wiederholten Mal.",
        "Im Chat wurde ich an die E-Mail verwiesen, per E-Mail wieder an den Chat.",
        "Zu meinem Problem gibt es mittlerweile mehrere Tickets, keines davon wurde gelöst.",
        "Vor {days} Tagen habe ich genau dieses Anliegen schon gemeldet.",
        "Das habe ich alles schon mehrfach geschildert, bitte lesen Sie den Verlauf.",
        "Zum x-ten Mal: Ich habe dieses Problem bereits gemeldet.",
        "Ich hänge seit Tagen in Ihrer Hotline-Warteschleife fest und schreibe deshalb erneut.",
        "Mein Anliegen wurde bereits unter {ticket} aufgenommen, passiert ist nichts.",
        "Bei meinem letzten Anruf hieß es, der Fall sei weitergeleitet. Seitdem herrscht Stille.",
    ],
    threat_leave=[
        "Wenn das nicht bald gelöst ist, kündige ich meinen Vertrag.",
        "Ich überlege ernsthaft, den Anbieter zu wechseln.",
        "Sollte sich bis zum {date} nichts tun, kündige ich fristlos.",
        "Dann gehe ich eben zur Konkurrenz, die freut sich sicher über einen neuen Kunden.",
        "Betrachten Sie dies als letzte Chance, bevor ich kündige.",
        "Ich habe mir schon Angebote anderer Anbieter angesehen.",
        "Noch so eine Erfahrung, und ich bin weg.",
        "Teilen Sie mir bitte mit, wie ich schnellstmöglich aus dem Vertrag herauskomme.",
        "Unseren Vertrag für {product} werden wir unter diesen Umständen nicht verlängern.",
        "Falls das bis Ende der Woche nicht behoben ist, kündige ich zum nächstmöglichen Zeitpunkt.",
        "Nach zehn Jahren als Kunde denke ich ernsthaft ans Wechseln.",
        "Wir prüfen intern bereits Alternativen zur Business Suite.",
        "Bei so einem Ausfall steht mir ja wohl ein Sonderkündigungsrecht zu.",
        "Mein Abo bei Nimbus Pay werde ich beenden und mir etwas anderes suchen.",
        "Wenn das so weitergeht, nehme ich meine ganze Familie mit zu einem anderen Anbieter.",
        "Den Umzug zu einem anderen Anbieter bereite ich bereits vor.",
    ],
    threat_legal=[
        "Andernfalls schalte ich meinen Anwalt ein.",
        "Ich werde mich an die Verbraucherzentrale wenden.",
        "Sollte das Geld bis zum {date} nicht da sein, veranlasse ich eine Rücklastschrift.",
        "Rechtliche Schritte behalte ich mir ausdrücklich vor.",
        "Mein Rechtsanwalt ist bereits informiert.",
        "Ich setze Ihnen hiermit eine Frist von {days} Tagen, danach gebe ich die Sache ab.",
        "Notfalls buche ich den Betrag über meine Bank zurück.",
        "Ich werde Beschwerde bei der Bundesnetzagentur einreichen.",
        "Eine Beschwerde bei der Datenschutzaufsichtsbehörde ist bereits vorbereitet.",
        "Über meine Kreditkartenfirma werde ich ein Chargeback beantragen.",
        "Ich prüfe Schadensersatzansprüche für den Verdienstausfall.",
        "Ich habe eine Rechtsschutzversicherung und werde sie auch nutzen.",
        "Sonst geht die Sache an die Schlichtungsstelle.",
        "Unsere Rechtsabteilung ist über den Vorgang informiert.",
        "Das ist ein klarer Verstoß gegen die DSGVO, und das werde ich melden.",
        "Ich lasse das von der Verbraucherzentrale prüfen, die Unterlagen liegen schon bereit.",
    ],
    threat_review=[
        "Das werde ich in einer Bewertung auf Trustpilot ausführlich beschreiben.",
        "Ich werde meine Erfahrungen öffentlich machen.",
        "Meinen Freunden und Kollegen werde ich Nimbus garantiert nicht empfehlen.",
        "Eine Ein-Sterne-Bewertung haben Sie sich redlich verdient.",
        "Ich poste das heute noch auf Twitter und Facebook.",
        "Die Geschichte schreibe ich gern in jedes Forum, das ich finde.",
        "Vielleicht interessiert sich ja die Lokalzeitung für diesen Fall.",
        "Im Play Store gibt es von mir gleich eine entsprechende Rezension.",
        "Ich werde das auf Google bewerten, damit andere gewarnt sind.",
        "Auf LinkedIn werde ich meinen Kontakten von dieser Erfahrung berichten.",
        "Ich überlege, ein Video über diesen Service zu machen.",
        "Wundern Sie sich nicht über die Bewertungen, die demnächst kommen.",
        "Das landet auf jeden Fall in meinem Erfahrungsbericht.",
        "Ich werde dafür sorgen, dass möglichst viele davon erfahren.",
        "Auf Vergleichsportalen werde ich entsprechend bewerten.",
        "Wenn das nicht gelöst wird, schreibe ich eine ehrliche Bewertung, und die wird nicht schön.",
    ],
    demand_manager=[
        "Ich möchte mit Ihrem Vorgesetzten sprechen.",
        "Bitte geben Sie mein Anliegen an die Teamleitung weiter.",
        "Ich verlange, dass sich jemand aus der Geschäftsführung bei mir meldet.",
        "Verbinden Sie mich bitte mit jemandem, der Entscheidungen treffen darf.",
        "Ich möchte das mit einer verantwortlichen Person klären, nicht mit dem First-Level-Support.",
        "Bitte leiten Sie das an Ihre Vorgesetzte oder Ihren Vorgesetzten weiter.",
        "Ich erwarte einen Rückruf von der Leitung des Kundenservice.",
        "Nennen Sie mir bitte den Namen Ihrer Teamleitung.",
        "Ich möchte eine offizielle Beschwerde bei der Geschäftsleitung einreichen.",
        "Wer ist bei Ihnen für Beschwerden zuständig? Mit dieser Person möchte ich sprechen.",
        "Holen Sie bitte jemanden dazu, der mehr Befugnisse hat.",
        "Ich bestehe darauf, dass sich ein Vorgesetzter der Sache annimmt.",
        "Bitte geben Sie das an die nächsthöhere Ebene weiter.",
        "Ich will nicht mehr mit dem Support schreiben, sondern mit Ihrem Chef.",
        "Unser Account Manager soll sich bitte umgehend bei mir melden.",
        "Bitte tragen Sie das der Geschäftsführung vor, so kann es nicht weitergehen.",
    ],
    offensive=[
        "Was für ein Saftladen.",
        "Ihr seid wirklich komplett unfähig.",
        "Ein Haufen Amateure, anders kann man das nicht nennen.",
        "Ihr Support ist ein schlechter Witz.",
        "Haben Sie überhaupt eine Ahnung, was Sie da tun?",
        "Mit Ihrem Laden habe ich wirklich nur Ärger.",
        "Das ist der schlechteste Kundenservice, den ich je erlebt habe.",
        "Ich rede hier offenbar gegen eine Wand.",
        "Bei Ihnen weiß die linke Hand nicht, was die rechte tut.",
        "Inkompetenter geht es wirklich nicht mehr.",
        "Lernen Sie erst mal Ihr eigenes Produkt kennen, bevor Sie Kunden beraten.",
        "Ihre Textbausteine können Sie sich sonst wohin stecken.",
        "Gibt es bei Ihnen auch jemanden, der bis drei zählen kann?",
        "Ein Chaotenhaufen ist das.",
        "Ihr kriegt ja nicht mal die einfachsten Dinge hin.",
        "Ein Bot hätte mir besser geholfen als Sie.",
        "Stümperhafter geht es nicht.",
    ],
    thanks=[
        "Vielen Dank, jetzt funktioniert alles wieder.",
        "Super, danke für die schnelle Hilfe!",
        "Danke, damit ist mein Anliegen erledigt.",
        "Perfekt, genau so hatte ich mir das vorgestellt. Danke!",
        "Herzlichen Dank für Ihre Mühe.",
        "Es klappt wieder, vielen Dank!",
        "Danke für die Klärung, das Ticket kann geschlossen werden.",
        "Tausend Dank, Sie haben mir den Tag gerettet.",
        "Alles klar, danke euch!",
        "Vielen Dank für Ihre Geduld mit mir.",
        "Danke, das hat geholfen.",
        "Besten Dank, jetzt passt alles.",
        "Top, danke schön!",
        "Hat endlich geklappt. Danke, dass Sie drangeblieben sind.",
        "Ich bestätige, dass das Problem gelöst ist. Vielen Dank.",
        "Vielen Dank für die unkomplizierte Lösung.",
        "Merci, läuft wieder!",
    ],
    praise=[
        "{agent} war wirklich sehr freundlich und kompetent.",
        "Ein großes Lob an {agent} für den Einsatz.",
        "So stelle ich mir guten Support vor.",
        "Vielen Dank an {agent} für die geduldige Erklärung.",
        "Ich bin positiv überrascht, wie schnell das ging.",
        "Bitte richten Sie {agent} ein dickes Dankeschön aus.",
        "Endlich mal jemand, der sich wirklich kümmert. Danke, {agent}!",
        "Top Service, gerne wieder.",
        "{agent} hat mir super geholfen, das muss auch mal gesagt werden.",
        "Die Erklärung war verständlich und auf den Punkt.",
        "Das war seit langem der beste Kontakt mit einem Kundenservice.",
        "Man merkt, dass {agent} sich richtig gut auskennt.",
        "Freundlich, schnell, kompetent – vielen Dank!",
        "Danke, dass Sie sich so viel Zeit für mich genommen haben.",
        "Großes Kompliment an das ganze Team, das war vorbildlich.",
        "{agent} ist ein echter Gewinn für Ihren Kundenservice.",
    ],
    social_post=[
        [  # 0: ruhig/höflich
            (
                "@NimbusHilfe Hallo, gibt es gerade eine Störung beim Cloud Backup? Bei mir hängt die "
                "Synchronisation."
            ),
            "@NimbusHilfe Kurze Frage: Wann kommt das nächste Firmware-Update für den Router X2?",
            (
                "@NimbusHilfe Ich habe dem Support gemailt ({ticket}) und wollte nur sichergehen, dass es "
                "angekommen ist. Danke!"
            ),
            "@NimbusHilfe Gibt es die Home App auch für Tablets? Ich finde sie im Store nicht.",
            (
                "Hallo @NimbusHilfe, meine Bestellung {order_id} ist noch nicht da. Könnt ihr mal "
                "nachschauen? Danke!"
            ),
            "@NimbusHilfe Wie kann ich bei Nimbus Pay meine Bankverbindung ändern?",
            (
                "@NimbusHilfe Gibt es eine Anleitung, wie man Daten aus einem alten CRM in die Business "
                "Suite importiert?"
            ),
            "@NimbusHilfe Ich komme nicht in mein Konto, der 2FA-Code kommt nicht an. Könnt ihr helfen?",
            "@NimbusHilfe Mein Router verliert ab und zu die Verbindung. Ist das bekannt?",
            "@NimbusHilfe Kleine Anregung: Ein Dunkelmodus in der App wäre toll!",
            "@NimbusHilfe Mir wurde eine Rechnung doppelt abgebucht. Wie gehe ich am besten vor?",
            "@NimbusHilfe Guten Morgen! Bekommt man den Retourenschein auch per Mail?",
        ],
        [  # 1: ungeduldig
            (
                "@NimbusHilfe Seit {days} Tagen warte ich auf eine Antwort auf mein Ticket. Wie lange dauert "
                "das bei euch?"
            ),
            "@NimbusHilfe Schon wieder Verbindungsabbrüche beim Router X2. Gibt's dazu mal eine Info?",
            "@NimbusHilfe Meine Rückerstattung ist immer noch nicht da. Bitte mal kümmern.",
            (
                "@NimbusHilfe 40 Minuten Warteschleife und dann aus der Leitung geflogen. Wie erreicht man "
                "euch eigentlich?"
            ),
            (
                "@NimbusHilfe Paket {order_id} hängt seit einer Woche im Verteilzentrum. Könnt ihr da mal "
                "nachhaken?"
            ),
            "@NimbusHilfe Die Home App stürzt seit dem Update ständig ab. Wann kommt ein Fix?",
            "@NimbusHilfe Ich hätte gern mal eine Antwort auf meine Mail vom {date}.",
            "@NimbusHilfe Wieso wird mein Abo weiter abgebucht, obwohl ich gekündigt habe? Bitte um Klärung.",
            (
                "@NimbusHilfe Unsere Migration in die Business Suite hängt und der Support antwortet nicht. "
                "Hallo?"
            ),
            (
                "@NimbusHilfe Backup läuft seit gestern nicht mehr. Ist eine Störung bekannt? Auf der "
                "Statusseite steht nichts."
            ),
            "Liebe @NimbusHilfe, ich warte jetzt echt lange genug auf meinen Retourenschein.",
            "@NimbusHilfe Passwort-Reset-Mail kommt nicht an. Dreimal probiert. Langsam nervt's.",
        ],
        [  # 2: verärgert
            (
                "@NimbusHilfe Zweimal {amount} abgebucht und seit {days} Tagen keine Reaktion. So geht man "
                "nicht mit Kunden um."
            ),
            "@NimbusHilfe Seit {days} Tagen kein Internet und niemand fühlt sich zuständig. Echt ärgerlich.",
            "@NimbusHilfe Euer Support ist nicht erreichbar, Mails werden ignoriert. Was ist da los?",
            (
                "Mein Router von @NimbusHilfe kam kaputt an und seit Tagen kümmert sich keiner. Top Service. "
                "Nicht."
            ),
            (
                "@NimbusHilfe Migration kaputt, Daten fehlen, der Stichtag rückt näher und ihr schweigt. "
                "Großartig."
            ),
            (
                "@NimbusHilfe Konto gesperrt, keine Erklärung, keine Antwort. Ich komme nicht an meine "
                "eigenen Daten!"
            ),
            "@NimbusHilfe Erstattung seit Wochen versprochen, passiert ist nichts. Ich bin richtig sauer.",
            (
                "@NimbusHilfe Dritte Mail, kein Ergebnis. Muss man euch erst öffentlich anschreiben, damit "
                "sich was tut?"
            ),
            (
                "Wer auch Ärger mit @NimbusHilfe hat: Mein Ticket {ticket} ist seit dem {date} offen. Kein "
                "Fortschritt."
            ),
            "@NimbusHilfe Abbuchen klappt bei euch pünktlich, helfen leider nicht. Enttäuschend.",
            "@NimbusHilfe Das Backup ist weg und euer Support schickt mir nur Textbausteine. Ernsthaft?",
            (
                "@NimbusHilfe Ich zahle für einen Dienst, der seit einer Woche nicht funktioniert. Erklärt "
                "mir das mal."
            ),
        ],
        [  # 3: wütend
            (
                "@NimbusHilfe Was für ein Saftladen! {days} Tage ohne Internet und keiner meldet sich. "
                "Finger weg von Nimbus!"
            ),
            (
                "@NimbusHilfe Ihr seid der schlechteste Anbieter, den ich je hatte. Geld abbuchen könnt ihr, "
                "sonst nichts."
            ),
            (
                "Warnung an alle: @NimbusHilfe bucht doppelt ab und ignoriert dann jede Nachricht. Absolute "
                "Frechheit!"
            ),
            "@NimbusHilfe Unfähig, arrogant und nicht erreichbar. Danke für nichts!",
            "@NimbusHilfe Meine Fotos sind weg, euer Backup ist Schrott und euer Support ein Witz.",
            "@NimbusHilfe Wie kann eine Firma so inkompetent sein? Ticket {ticket}, seit Wochen Stillstand!",
            (
                "Kauft bloß keinen Router bei @NimbusHilfe. Kaputt geliefert, Erstattung verweigert, Support "
                "tot."
            ),
            "@NimbusHilfe Ihr habt unsere komplette Kundendatenbank verhunzt. Stümper!",
            "@NimbusHilfe Hört endlich auf, mir Bots zu schicken, und löst mein verdammtes Problem!",
            "@NimbusHilfe Ich bin fassungslos. So dreist bin ich noch nie abgezockt worden.",
            "@NimbusHilfe Gratulation, ihr habt es geschafft: Noch nie war ich so wütend auf eine Firma.",
            "@NimbusHilfe Konto gesperrt, Geld weg, niemand antwortet. Was für ein Drecksladen!",
        ],
    ],
    agent_greeting=[
        "Hallo {name},",
        "Guten Tag {name},",
        "Guten Tag,",
        "Guten Morgen {name},",
        "Guten Abend {name},",
        "Moin {name},",
        "Hallo {name},\nvielen Dank für Ihre Nachricht.",
        "Hallo {name},\ndanke für Ihre Geduld.",
        "Guten Tag {name},\nvielen Dank für Ihre Rückmeldung.",
        "Hallo {name},\ndanke, dass Sie sich bei uns melden.",
        "Sehr geehrte Damen und Herren,",
        "Hallo,",
        "Hallo und guten Tag {name},",
        "Hallo {name},\ndanke für die Infos.",
        "Guten Tag {name},\nvielen Dank für Ihre Anfrage.",
        "Servus {name},",
    ],
    agent_signoff=[
        "Mit freundlichen Grüßen\n{agent}\nNimbus Kundenservice",
        "Viele Grüße\n{agent}\nNimbus Support",
        "Freundliche Grüße\n{agent}\nIhr Nimbus Kundenservice",
        "Beste Grüße\n{agent} | Nimbus Support",
        "Herzliche Grüße\n{agent}\nNimbus Kundenservice",
        "Bei Fragen sind wir gern für Sie da.\n\nViele Grüße\n{agent}\nNimbus Kundenservice",
        "Einen schönen Tag noch!\n{agent}\nNimbus Support",
        "Freundliche Grüße aus Berlin\n{agent}\nNimbus Kundenservice",
        "Viele Grüße und ein schönes Wochenende\n{agent}\nNimbus Support",
        "Mit freundlichen Grüßen\n\n{agent}\nNimbus Kundenservice\nMo–Fr 8–20 Uhr",
        "Gruß\n{agent}\nNimbus Support",
        "Wir melden uns, sobald es Neuigkeiten gibt.\n\nBeste Grüße\n{agent}\nNimbus Kundenservice",
        "Danke für Ihre Geduld!\n{agent}\nNimbus Support",
        "Liebe Grüße\n{agent}\nNimbus Support",
        "Freundliche Grüße\n{agent}\nNimbus Business Support",
        "Mit besten Grüßen\n{agent}\nNimbus Kundenservice\nwww.nimbus.de/hilfe",
        (
            "Falls noch etwas unklar ist, antworten Sie einfach auf diese E-Mail.\n\nFreundliche Grüße\n"
            "{agent}\nNimbus Kundenservice"
        ),
    ],
    agent_first_response={
        "billing_payment": [
            (
                "Vielen Dank für Ihre Nachricht. Ich prüfe die Abbuchungen zur Rechnung {invoice_id} und "
                "melde mich dann bei Ihnen."
            ),
            (
                "Danke, dass Sie uns auf die doppelte Abbuchung aufmerksam machen. Ich sehe mir den Vorgang "
                "gleich genauer an."
            ),
            "Ich habe Ihr Kundenkonto geöffnet und gehe die Zahlungen der letzten Wochen durch.",
            "Es tut mir leid, dass bei der Abrechnung etwas schiefgelaufen ist. Ich kümmere mich darum.",
            "Ich habe Ihre Anfrage zur Rückerstattung über {amount} übernommen und prüfe den Status.",
            (
                "Vielen Dank für den Hinweis zur Rechnung {invoice_id}. Ich kläre, wie der Betrag zustande "
                "gekommen ist."
            ),
            (
                "Danke für Ihre Nachricht. Fehlgeschlagene Zahlungen bei Nimbus Pay können verschiedene "
                "Ursachen haben; ich sehe mir Ihren Fall im Detail an."
            ),
            "Ich habe die Lastschrift gefunden und prüfe gerade, warum sie zurückgegangen ist.",
            "Vielen Dank. Die Korrektur der Rechnungsadresse nehme ich gern auf.",
            (
                "Danke für Ihre Geduld. Ich schaue mir an, warum nach dem Tarifwechsel beide Tarife "
                "berechnet wurden."
            ),
            (
                "Ich habe Ihre Bestellung {order_id} aufgerufen und prüfe, warum der Rabatt nicht "
                "berücksichtigt wurde."
            ),
            (
                "Danke für die Nachricht. Wir klären die Abbuchung vom {date} und melden uns spätestens in "
                "{days} Werktagen."
            ),
        ],
        "technical_fault": [
            "Danke für die ausführliche Beschreibung. Ich sehe mir die Verbindungsdaten Ihres Routers an.",
            (
                "Das klingt ärgerlich, danke für die Meldung. Ich prüfe zunächst, ob es in Ihrer Region eine "
                "bekannte Störung gibt."
            ),
            "Vielen Dank für Ihre Nachricht. Ich gehe die Synchronisationsprotokolle Ihres Kontos durch.",
            "Danke, dass Sie sich melden. Die Abstürze der Home App schauen wir uns gern an.",
            "Ich habe Ihre Meldung zu {product} aufgenommen und prüfe die Fehlermeldung.",
            (
                "Danke für den Hinweis. Uns liegen bereits ähnliche Meldungen vor, ich prüfe, ob Ihr Fall "
                "dazugehört."
            ),
            (
                "Vielen Dank. Ich habe eine Ferndiagnose für Ihren Router gestartet, das dauert ein paar "
                "Minuten."
            ),
            "Danke für die Infos. Ich prüfe, ob das Verhalten mit dem letzten Firmware-Update zusammenhängt.",
            "Ich übernehme Ihren Fall und sehe mir an, warum die Wiederherstellung abbricht.",
            (
                "Danke für Ihre Meldung. Die Business Suite ist bei uns erreichbar, deshalb prüfe ich "
                "gezielt Ihre Instanz."
            ),
            "Ich habe Ihr Ticket übernommen und analysiere die Verbindungsabbrüche der letzten {days} Tage.",
            "Vielen Dank für die Screenshots, die helfen sehr. Ich schaue mir das an.",
        ],
        "account": [
            "Vielen Dank für Ihre Nachricht. Ich helfe Ihnen gern, wieder Zugang zu Ihrem Konto zu bekommen.",
            "Danke, dass Sie sich melden. Ich prüfe, warum die SMS mit dem Bestätigungscode nicht ankommt.",
            (
                "Ich habe mir Ihr Konto angesehen. Die Sperre wurde automatisch ausgelöst, ich prüfe jetzt "
                "die Details."
            ),
            (
                "Vielen Dank für Ihren Antrag. Wir bearbeiten ihn nach Art. 17 DSGVO und bestätigen Ihnen "
                "die Löschung schriftlich."
            ),
            (
                "Danke für Ihre Anfrage. Ihr Auskunftsersuchen ist bei uns eingegangen, die Zusammenstellung "
                "Ihrer Daten ist eingeleitet."
            ),
            (
                "Mein herzliches Beileid. Den Vertrag übertragen wir selbstverständlich auf Sie; die nötigen "
                "Schritte erkläre ich Ihnen gleich."
            ),
            "Vielen Dank. Den Inhaberwechsel für Ihr Business-Konto bereite ich vor.",
            (
                "Ich verstehe, dass der fehlende Zugang ärgerlich ist. Ich sehe mir die Login-Versuche der "
                "letzten Tage an."
            ),
            (
                "Danke für die Nachricht. Aus Sicherheitsgründen muss ich zunächst Ihre Identität "
                "bestätigen, danach kümmere ich mich um die 2FA."
            ),
            (
                "Vielen Dank für den Hinweis auf die fremden Logins. Ich habe Ihr Konto vorsorglich "
                "geschützt und prüfe die Aktivitäten."
            ),
            "Ich kümmere mich darum, dass die E-Mail-Adresse Ihres Kontos geändert werden kann.",
            "Danke für Ihre Nachricht. Die Admin-Rechte übertrage ich, sobald die Berechtigung geklärt ist.",
        ],
        "shipping_returns": [
            (
                "Vielen Dank für Ihre Nachricht. Ich frage beim Versanddienstleister den aktuellen Stand zu "
                "Bestellung {order_id} an."
            ),
            "Es tut mir leid, dass Ihr Paket beschädigt angekommen ist. Ich kümmere mich um Ersatz.",
            "Danke für Ihre Anfrage. Den Retourenschein erstelle ich Ihnen gern.",
            "Ich habe Ihre Rücksendung im System gefunden und prüfe, warum die Erstattung noch aussteht.",
            "Danke für die Info. Ich habe einen Nachforschungsauftrag beim Paketdienst gestartet.",
            (
                "Vielen Dank für Ihre Geduld. Ich sehe mir an, warum sich der Versand Ihrer Bestellung "
                "verzögert."
            ),
            "Danke für die Fotos. Damit kann ich die Reklamation direkt anlegen.",
            "Ich habe Ihre Bestellung {order_id} aufgerufen und kläre das mit unserem Lager.",
            "Danke für Ihre Nachricht. Das falsche Zubehör tauschen wir selbstverständlich aus.",
            "Vielen Dank. Ich prüfe, ob Ihr Austauschgerät das Lager bereits verlassen hat.",
            (
                "Danke für den Hinweis zur Retoure. Normalerweise wird die Erstattung nach dem Wareneingang "
                "automatisch ausgelöst; ich sehe nach, wo es hakt."
            ),
            (
                "Ich habe Ihr Anliegen zur Lieferung übernommen und melde mich, sobald das Lager geantwortet "
                "hat."
            ),
        ],
        "data_migration": [
            (
                "Vielen Dank für die ausführliche Beschreibung. Ich sehe mir den Importlauf und das "
                "Fehlerprotokoll an."
            ),
            "Danke für Ihre Nachricht. Ich prüfe, warum beim Import Datensätze verloren gegangen sind.",
            "Ich habe Ihren Migrationsauftrag gefunden und analysiere den aktuellen Stand.",
            (
                "Danke für den Hinweis auf die Umlaute. Das klingt nach einem Kodierungsproblem, ich sehe "
                "mir die Datei an."
            ),
            "Vielen Dank. Den Stichtag {date} habe ich notiert und plane die nächsten Schritte entsprechend.",
            (
                "Danke, dass Sie sich melden. Ich vergleiche Ihre Exportdatei mit dem Stand in der Business "
                "Suite."
            ),
            "Ich habe Ihr Anliegen übernommen und schaue mir für die Analyse zunächst die Feldzuordnung an.",
            (
                "Danke für die Infos. Doppelte Einträge nach einem Import sind meist ein Zuordnungsproblem, "
                "ich prüfe das."
            ),
            "Vielen Dank. Ich prüfe, warum die Anhänge nicht übernommen wurden.",
            "Danke für Ihre Nachricht. Ich sehe mir an, warum der Import seit gestern Abend hängt.",
            "Ich bestätige den Eingang Ihrer Importdatei und beginne mit der Prüfung.",
            (
                "Danke für die Details. Ich prüfe, wie die benutzerdefinierten Felder beim Import zugeordnet "
                "wurden."
            ),
        ],
        "feature_request": [
            "Vielen Dank für Ihren Vorschlag! Ich gebe ihn gern an unser Produktteam weiter.",
            "Danke für die Anregung, das ist eine gute Idee.",
            "Vielen Dank für Ihr Feedback zu {product}. Solche Hinweise helfen uns sehr.",
            (
                "Danke, dass Sie sich die Zeit für diesen Vorschlag genommen haben. Ich habe ihn in unsere "
                "Sammlung aufgenommen."
            ),
            "Vielen Dank für Ihre Nachricht. Ich prüfe, ob die gewünschte Funktion bereits geplant ist.",
            "Danke für die Idee! Ich schaue nach, ob es dazu schon einen Eintrag auf unserer Roadmap gibt.",
            "Vielen Dank für den Hinweis. Wünsche dieser Art sammeln wir und werten sie regelmäßig aus.",
            "Schön, dass Sie mit {product} zufrieden sind, und danke für die Anregung.",
            "Danke für die ausführliche Beschreibung Ihres Wunsches, das macht es uns leichter.",
            "Vielen Dank. Den Vorschlag habe ich notiert und melde mich, sobald ich mehr dazu weiß.",
            "Danke für Ihre Anfrage. Ich kläre, ob die Funktion schon in einer Beta verfügbar ist.",
            "Vielen Dank für Ihr Feedback. Ihr Anwendungsfall ist gut nachvollziehbar.",
        ],
    },
    agent_ask_info={
        "billing_payment": [
            "Können Sie mir bitte die Rechnungsnummer und das Datum der Abbuchungen nennen?",
            (
                "Damit ich die Zahlung zuordnen kann, bräuchte ich einen Screenshot Ihres Kontoauszugs, gern "
                "mit geschwärzten Daten."
            ),
            "Würden Sie mir bitte die letzten vier Ziffern der verwendeten Karte oder IBAN mitteilen?",
            "Können Sie mir bitte die Kündigungsbestätigung zukommen lassen?",
            "Bitte teilen Sie mir die vollständige Rechnungsadresse und ggf. Ihre USt-IdNr. mit.",
            "Welche Zahlungsart haben Sie bei Nimbus Pay hinterlegt?",
            "Auf welches Konto soll die Erstattung erfolgen? Bitte nennen Sie mir Kontoinhaber und IBAN.",
            "Können Sie mir die Bestellnummer nennen, zu der der Rabattcode gehört?",
            "Wissen Sie noch, wann genau Sie den Tarif gewechselt haben?",
            "Hat Ihre Bank Ihnen mitgeteilt, warum die Lastschrift zurückgegeben wurde?",
            "Zur Prüfung benötige ich noch die E-Mail-Adresse, mit der das Kundenkonto angelegt wurde.",
            "Handelt es sich um eine Zahlung über {amount} oder um zwei getrennte Beträge?",
        ],
        "technical_fault": [
            "Können Sie mir bitte die Seriennummer Ihres Routers und die Firmware-Version nennen?",
            "Welche Fehlermeldung erscheint genau? Ein Screenshot wäre ideal.",
            "Welches Gerät und welche Version der Home App nutzen Sie?",
            "Seit wann genau tritt das Problem auf, und gab es vorher ein Update?",
            (
                "Könnten Sie bitte das Systemprotokoll des Routers exportieren und anhängen? Sie finden es "
                "unter Einstellungen > System > Protokoll."
            ),
            "Betrifft das Problem alle Geräte oder nur einzelne?",
            (
                "Ist der Router direkt an der Telefondose angeschlossen, oder hängt noch ein anderes Gerät "
                "dazwischen?"
            ),
            "Welche Version des Backup-Clients ist installiert, und welches Betriebssystem nutzen Sie?",
            "Können Sie mir einen Speedtest per LAN-Kabel schicken, am besten zu verschiedenen Tageszeiten?",
            "Wie viele Nutzer in Ihrem Unternehmen sind betroffen, und welchen Browser verwenden Sie?",
            (
                "Können Sie bitte testen, ob das Problem auch in einem anderen Browser oder im privaten "
                "Fenster auftritt?"
            ),
            "Leuchtet die Status-LED dauerhaft rot, oder blinkt sie?",
        ],
        "account": [
            "Zur Sicherheit benötige ich Ihr Geburtsdatum und die hinterlegte Postanschrift.",
            "Mit welcher E-Mail-Adresse ist Ihr Konto registriert?",
            "Können Sie mir bitte die letzten zwei Ziffern der hinterlegten Handynummer nennen?",
            (
                "Für den Inhaberwechsel benötigen wir einen aktuellen Handelsregisterauszug. Können Sie uns "
                "diesen zusenden?"
            ),
            "Bitte senden Sie uns eine Kopie der Sterbeurkunde und einen Nachweis der Erbberechtigung.",
            (
                "Für die Identitätsprüfung bitten wir um eine Ausweiskopie, auf der nur Name, Foto und "
                "Geburtsdatum lesbar sind."
            ),
            "Wann haben Sie sich zuletzt erfolgreich angemeldet?",
            "Welche Fehlermeldung erhalten Sie beim Login genau?",
            "Haben Sie bei der Einrichtung der Zwei-Faktor-Authentifizierung Backup-Codes erhalten?",
            "Soll die Löschung alle Nimbus-Dienste umfassen, also auch Backups und Zahlungsdaten?",
            (
                "Wer soll künftig als Administrator eingetragen werden? Bitte nennen Sie Name und "
                "E-Mail-Adresse."
            ),
            (
                "Können Sie mir die Kundennummer oder eine Rechnungsnummer nennen, damit ich das Konto "
                "eindeutig zuordnen kann?"
            ),
        ],
        "shipping_returns": [
            "Können Sie mir bitte Ihre Bestellnummer nennen?",
            "Bitte schicken Sie mir Fotos vom beschädigten Paket und vom Gerät.",
            "Haben Sie den Einlieferungsbeleg der Rücksendung noch? Die Sendungsnummer würde mir helfen.",
            (
                "Können Sie bitte prüfen, ob das Paket eventuell bei einem Nachbarn oder in einer Filiale "
                "abgegeben wurde?"
            ),
            "Ist das Gerät unbenutzt und in der Originalverpackung?",
            "Bitte bestätigen Sie mir noch einmal die vollständige Lieferadresse.",
            "Wann genau haben Sie die Retoure abgegeben, und bei welchem Paketdienst?",
            "Welche Teile fehlen genau im Paket?",
            "Möchten Sie ein Ersatzgerät, oder ist Ihnen eine Erstattung lieber?",
            "Wie hatten Sie bezahlt? Die Erstattung erfolgt immer über die ursprüngliche Zahlungsart.",
            "Können Sie mir die Sendungsnummer aus der Versandbestätigung schicken?",
            (
                "Für den Nachforschungsauftrag brauche ich eine kurze formlose Bestätigung von Ihnen, dass "
                "die Sendung nicht angekommen ist."
            ),
        ],
        "data_migration": [
            "Können Sie uns bitte die Importdatei und das Fehlerprotokoll zusenden?",
            "Aus welchem System exportieren Sie die Daten, und in welchem Format?",
            "Welche Zeichenkodierung hat die CSV-Datei, und welches Trennzeichen verwenden Sie?",
            "Können Sie mir ein paar Beispiele für fehlende Datensätze nennen, etwa Kundennummern?",
            "Wie lautet die Job-ID des Importlaufs? Sie finden sie unter Verwaltung > Importe.",
            "Bis wann muss die Migration spätestens abgeschlossen sein?",
            "Dürfen wir für die Analyse auf Ihre Instanz zugreifen?",
            "Wie viele Datensätze enthält der Export aus dem Altsystem insgesamt?",
            "Welche Feldzuordnung haben Sie beim Import gewählt? Ein Screenshot würde helfen.",
            "Wurde der Import einmal oder mehrfach gestartet?",
            "Wer ist bei Ihnen Ansprechpartner für technische Rückfragen zur Migration?",
            "Können Sie uns eine Beispielzeile aus der Datei schicken, bei der der Fehler auftritt?",
        ],
        "feature_request": [
            "Können Sie uns kurz beschreiben, wofür Sie die Funktion konkret nutzen würden?",
            "Auf welchen Geräten nutzen Sie {product} hauptsächlich?",
            "Wie viele Nutzer in Ihrem Unternehmen würden die Funktion nutzen?",
            "Welches Format wäre für Sie beim Export am wichtigsten?",
            "Dürfen wir Sie kontaktieren, sobald es etwas zu testen gibt?",
            "Wie lösen Sie das aktuell? Das hilft unserem Produktteam, den Bedarf einzuschätzen.",
            "Haben Sie vielleicht eine Skizze oder ein Beispiel, wie Sie sich das vorstellen?",
            "Welche Systeme möchten Sie über die API anbinden?",
            "Reicht Ihnen die Funktion in der Web-Oberfläche, oder brauchen Sie sie auch in der App?",
            "Welchen E-Rechnungs-Standard verlangen Ihre Auftraggeber?",
            "Wie wichtig ist die Funktion für Sie – eher nice to have oder ausschlaggebend?",
            "In welchem Tarif nutzen Sie {product} derzeit?",
        ],
    },
    agent_update=[
        "Kurzer Zwischenstand: Wir arbeiten noch an Ihrem Anliegen.",
        "Ich wollte Ihnen kurz Bescheid geben, dass die Prüfung noch läuft.",
        (
            "Die Kollegen haben den Fall auf dem Tisch, ich rechne mit einem Ergebnis in den nächsten {days} "
            "Tagen."
        ),
        "Wir haben die Ursache eingegrenzt, brauchen aber noch etwas Zeit für die Lösung.",
        "Eine abschließende Lösung gibt es noch nicht, aber wir sind dran.",
        "Ihr Fall ist nicht vergessen, die Analyse dauert leider länger als gedacht.",
        "Ich habe heute nochmals nachgefragt und melde mich, sobald ich Neues weiß.",
        "Die Prüfung ist ungefähr zur Hälfte abgeschlossen.",
        "Wir warten derzeit auf eine Rückmeldung unseres Dienstleisters.",
        (
            "Ein erster Versuch hat noch nicht den gewünschten Erfolg gebracht, wir probieren einen anderen "
            "Ansatz."
        ),
        "Ich halte Sie auf dem Laufenden und melde mich spätestens am {date}.",
        "Kurzes Update zu {ticket}: Die Analyse läuft, neue Erkenntnisse gibt es bisher nicht.",
        "Wir konnten das Problem inzwischen nachstellen, das ist ein wichtiger Schritt.",
        "Leider liegt noch kein Ergebnis vor, ich bleibe aber dran.",
        "Die Korrektur ist vorbereitet und muss nur noch freigegeben werden.",
        "Ich habe Ihr Anliegen mit hoher Priorität markiert. Sobald es Neuigkeiten gibt, hören Sie von mir.",
    ],
    agent_solution={
        "billing_payment": [
            (
                "Die doppelte Abbuchung haben wir storniert. Die {amount} werden innerhalb von {days} "
                "Werktagen auf Ihr Konto zurückgebucht."
            ),
            (
                "Ich habe die Rückerstattung über {amount} heute angewiesen. Je nach Bank kann es ein paar "
                "Tage dauern, bis sie sichtbar ist."
            ),
            (
                "Die korrigierte Rechnung {invoice_id} mit der neuen Adresse finden Sie ab sofort in Ihrem "
                "Kundenkonto."
            ),
            "Der Rabatt für Bestellung {order_id} wurde nachträglich gutgeschrieben.",
            (
                "Ihr alter Tarif ist jetzt beendet, den zu viel berechneten Betrag von {amount} erstatten "
                "wir Ihnen."
            ),
            (
                "Die Zahlung ist an einer fehlgeschlagenen Kartenprüfung gescheitert. Bitte hinterlegen Sie "
                "die Karte in Nimbus Pay neu, danach läuft alles wieder automatisch."
            ),
            "Die Mahngebühren haben wir storniert, Sie müssen nichts weiter tun.",
            "Das Abo ist wie gewünscht zum {date} beendet, die Abbuchung danach erstatten wir vollständig.",
            (
                "Der höhere Betrag ergibt sich aus der Preisanpassung zum {date}, über die wir per Mail "
                "informiert hatten. Die Details habe ich Ihnen angehängt."
            ),
            (
                "Die Bankgebühr für die geplatzte Lastschrift übernehmen wir, der Betrag wird Ihrem "
                "Kundenkonto gutgeschrieben."
            ),
            (
                "Die Umsatzsteuer ist jetzt korrekt ausgewiesen; die neue Rechnung habe ich Ihnen per Mail "
                "geschickt."
            ),
            (
                "Die ausstehende Zahlung in Nimbus Pay wurde freigegeben, der Status sollte jetzt auf "
                "„abgeschlossen“ stehen."
            ),
        ],
        "technical_fault": [
            (
                "Wir haben eine fehlerhafte Einstellung auf Ihrer Leitung korrigiert. Bitte starten Sie den "
                "Router einmal neu, danach sollte die Verbindung stabil sein."
            ),
            "Die Störung in Ihrer Region ist seit heute Vormittag behoben.",
            (
                "Das App-Update auf Version 4.8.2 behebt den Absturz. Bitte aktualisieren Sie die App über "
                "den Store."
            ),
            (
                "Wir haben eine beschädigte Datei aus Ihrem Backup-Satz entfernt, die Synchronisation läuft "
                "jetzt wieder durch."
            ),
            "Wir haben Ihrem Router ein Firmware-Update eingespielt, das die Neustartschleife behebt.",
            (
                "Bitte stellen Sie in den WLAN-Einstellungen den Kanal auf „automatisch“ und aktivieren Sie "
                "das 5-GHz-Band. Damit sollten die Abbrüche verschwinden."
            ),
            (
                "Die Wiederherstellung funktioniert wieder. Ein serverseitiger Fehler hatte den Download "
                "abgebrochen."
            ),
            "Ihre Business-Suite-Instanz wurde neu gestartet und ist wieder erreichbar.",
            "Da das Gerät einen Hardwaredefekt hat, schicken wir Ihnen kostenlos einen Austauschrouter.",
            (
                "Der Fehlercode E-214 entsteht durch ein abgelaufenes Zertifikat im Client. Version 5.3 "
                "behebt das, den Download-Link finden Sie unten."
            ),
            (
                "Nachdem wir die Verknüpfung Ihres Kontos zurückgesetzt haben, werden die Geräte wieder "
                "korrekt angezeigt. Bitte melden Sie sich einmal ab und wieder an."
            ),
            (
                "Wir haben das Profil Ihrer Leitung angepasst; die Messwerte der letzten Stunden sehen "
                "stabil aus."
            ),
        ],
        "account": [
            "Ich habe die Sperre aufgehoben. Sie können sich ab sofort wieder anmelden.",
            (
                "Die Zwei-Faktor-Authentifizierung ist zurückgesetzt. Beim nächsten Login werden Sie durch "
                "die Einrichtung mit Ihrem neuen Handy geführt."
            ),
            (
                "Sie erhalten gleich eine neue Mail zum Zurücksetzen des Passworts; der Link ist 24 Stunden "
                "gültig."
            ),
            (
                "Die Löschung Ihrer Daten ist abgeschlossen. Eine schriftliche Bestätigung ist per Post an "
                "Sie unterwegs."
            ),
            (
                "Die Auskunft nach Art. 15 DSGVO finden Sie als verschlüsseltes PDF im Anhang, das Passwort "
                "erhalten Sie per SMS."
            ),
            "Der Vertrag ist ab dem {date} auf Sie übertragen.",
            "Der Inhaberwechsel ist durchgeführt, die nächste Rechnung geht an die neue Firmierung.",
            (
                "Ihre E-Mail-Adresse wurde geändert. Bitte bestätigen Sie die neue Adresse über den Link, "
                "den wir Ihnen geschickt haben."
            ),
            (
                "Wir haben alle aktiven Sitzungen beendet und Ihr Passwort zurückgesetzt. Bitte vergeben Sie "
                "ein neues, sicheres Passwort."
            ),
            (
                "Die Login-Schleife lag an einem veralteten Cookie. Nach dem Löschen der Nimbus-Cookies "
                "sollte die Anmeldung klappen."
            ),
            "Ihr Kollege ist jetzt als Administrator eingetragen und hat volle Rechte.",
            (
                "Die SMS-Zustellung an Ihre Nummer war blockiert, das haben wir behoben. Der Code sollte "
                "jetzt innerhalb einer Minute ankommen."
            ),
        ],
        "shipping_returns": [
            "Ihr Paket ist wieder unterwegs und soll laut Paketdienst morgen bei Ihnen sein.",
            (
                "Ein Ersatzgerät ist an Sie verschickt, die Sendungsnummer bekommen Sie per Mail. Das "
                "beschädigte Gerät schicken Sie bitte mit dem beiliegenden Retourenschein zurück."
            ),
            (
                "Den Retourenschein habe ich Ihnen per Mail geschickt. Bitte kleben Sie ihn gut sichtbar auf "
                "das Paket."
            ),
            "Die Rücksendung ist verbucht, die Erstattung über {amount} wurde heute veranlasst.",
            "Da die Sendung als verloren gilt, haben wir Ihnen kostenlos einen neuen Router geschickt.",
            "Das richtige Netzteil geht heute per Express raus, das falsche müssen Sie nicht zurückschicken.",
            "Ihre Bestellung {order_id} wurde storniert und der volle Betrag erstattet.",
            "Ihre Lieferadresse ist korrigiert, das Paket wird am {date} zugestellt.",
            (
                "Die Erstattung für Bestellung {order_id} ist angewiesen und sollte in {days} Werktagen auf "
                "Ihrem Konto sein."
            ),
            (
                "Das Austauschgerät hat unser Lager heute verlassen. Die Sendungsverfolgung finden Sie in "
                "Ihrem Kundenkonto."
            ),
            (
                "Wir liefern auch nach Österreich; Ihre Bestellung ist jetzt freigegeben und geht noch heute "
                "raus."
            ),
            "Für die Verzögerung haben wir Ihnen die Versandkosten erstattet.",
        ],
        "data_migration": [
            (
                "Die fehlenden Datensätze wurden nachimportiert. Bitte prüfen Sie stichprobenartig, ob jetzt "
                "alles vollständig ist."
            ),
            (
                "Das Problem mit den Umlauten lag an der Kodierung. Nach dem erneuten Import mit UTF-8 "
                "werden alle Zeichen korrekt angezeigt."
            ),
            (
                "Die Dubletten haben wir bereinigt, künftig werden Datensätze anhand der Kundennummer "
                "abgeglichen."
            ),
            "Die Migration ist abgeschlossen, rechtzeitig vor Ihrem Stichtag am {date}.",
            "Wir haben die Datumsfelder korrigiert; Tag und Monat stimmen jetzt wieder.",
            "Die Anhänge wurden in einem zweiten Lauf übernommen und sind jetzt den Vorgängen zugeordnet.",
            (
                "Der hängende Importjob wurde abgebrochen und neu gestartet; inzwischen ist er vollständig "
                "durchgelaufen."
            ),
            "Die Rechnungsbeträge sind korrigiert, das Dezimaltrennzeichen war falsch zugeordnet.",
            "Ihre benutzerdefinierten Felder haben wir angelegt und die Werte nachträglich befüllt.",
            (
                "Mit der angepassten Vorlage im Anhang läuft der CSV-Import fehlerfrei durch, wir haben es "
                "mit Ihrer Datei getestet."
            ),
            (
                "Zeile 1.204 enthielt einen Zeilenumbruch im Feld „Bemerkung“. Nach der Korrektur lief der "
                "Import vollständig durch."
            ),
            "Alle 12.480 Datensätze sind jetzt in der Business Suite, der Abgleich mit dem Altsystem stimmt.",
        ],
        "feature_request": [
            "Gute Nachrichten: Der Dunkelmodus kommt mit dem nächsten App-Update.",
            "Ihr Vorschlag steht jetzt auf unserer Roadmap; einen genauen Termin kann ich noch nicht nennen.",
            (
                "Die gewünschte Exportfunktion gibt es bereits: Sie finden sie unter Einstellungen > Daten > "
                "Export."
            ),
            (
                "Unser Produktteam hat Ihren Wunsch aufgenommen. Wir informieren Sie, sobald die Funktion "
                "verfügbar ist."
            ),
            (
                "Die API für die Business Suite ist bereits in der Beta, ich habe Sie für den Zugang "
                "freigeschaltet."
            ),
            (
                "Ein zeitgesteuertes Gastnetz lässt sich schon jetzt über die Web-Oberfläche einrichten; "
                "eine Anleitung habe ich angehängt."
            ),
            (
                "Ordner ausschließen können Sie im Backup-Client per Rechtsklick und „Von Sicherung "
                "ausschließen“."
            ),
            "E-Rechnungen im Format XRechnung bieten wir ab dem {date} an.",
            "Ihr Wunsch ist beim Produktteam als Verbesserung erfasst.",
            (
                "Familienkonten mit mehreren Logins sind für dieses Jahr geplant, ich habe Sie auf die "
                "Infoliste gesetzt."
            ),
            (
                "Push-Benachrichtigungen bei fehlgeschlagenen Backups können Sie schon jetzt in den "
                "App-Einstellungen aktivieren."
            ),
            (
                "Die Funktion ist derzeit leider nicht geplant, Ihr Feedback fließt aber in die nächste "
                "Priorisierung ein."
            ),
        ],
    },
    agent_apology=[
        "Entschuldigen Sie bitte die lange Wartezeit.",
        "Es tut mir leid, dass Sie so lange auf eine Antwort warten mussten.",
        "Bitte entschuldigen Sie die Unannehmlichkeiten.",
        "Dass das so gelaufen ist, tut mir wirklich leid.",
        "Wir bedauern den Ärger, den Ihnen das bereitet hat.",
        "Sorry für die späte Rückmeldung, bei uns ist gerade sehr viel los.",
        "Entschuldigen Sie bitte, dass wir uns nicht früher gemeldet haben.",
        "Es tut mir leid, dass Sie den Sachverhalt mehrfach schildern mussten.",
        "Das hätte nicht passieren dürfen, dafür entschuldige ich mich.",
        "Ich bitte vielmals um Entschuldigung für die Verzögerung.",
        "Bitte entschuldigen Sie, dass unsere erste Antwort nicht weitergeholfen hat.",
        "Es ist ärgerlich, dass Sie sich damit so lange beschäftigen mussten. Das tut mir leid.",
        "Im Namen des gesamten Teams möchte ich mich für den Fehler entschuldigen.",
        "Entschuldigen Sie bitte, das war nicht der Service, den Sie von uns erwarten dürfen.",
        "Es tut uns leid, dass Ihr Anliegen bei uns untergegangen ist.",
        "Die Verzögerung tut mir leid, wir hatten in den letzten Tagen ein ungewöhnlich hohes Aufkommen.",
    ],
    agent_deescalate=[
        "Ich kann Ihren Ärger sehr gut verstehen.",
        "Ich verstehe, dass das frustrierend ist, und kümmere mich persönlich darum.",
        "Sie haben völlig recht, das hätte schneller gehen müssen.",
        "Ihr Unmut ist absolut nachvollziehbar.",
        "Ich nehme Ihre Beschwerde ernst und bleibe dran, bis alles geklärt ist.",
        "Ich möchte, dass wir das jetzt gemeinsam zu einem guten Ende bringen.",
        "Danke, dass Sie trotz allem so geduldig mit uns sind.",
        "Ich verstehe, dass Sie sich mehr von uns erwartet haben.",
        "Lassen Sie mich das übernehmen, Sie müssen nichts weiter tun.",
        "Ab sofort bin ich Ihr fester Ansprechpartner für diesen Fall.",
        "Ich sehe, wie viel Zeit Sie das schon gekostet hat, und möchte es jetzt zügig lösen.",
        "Ihre Kritik ist angekommen, und ich gebe sie auch intern weiter.",
        "Es ist verständlich, dass Sie nach so langer Zeit die Geduld verlieren.",
        "Ich verspreche Ihnen, dass Sie heute noch eine verbindliche Rückmeldung von mir bekommen.",
        "Ich habe den gesamten Verlauf gelesen, damit Sie nichts noch einmal erklären müssen.",
        "Wir lassen Sie damit nicht allein.",
    ],
    agent_escalation_notice=[
        "Ich habe Ihr Anliegen an {team} weitergegeben; die Kollegen melden sich direkt bei Ihnen.",
        "Ihr Fall wurde an {team} eskaliert. Dort liegen bereits alle Informationen vor.",
        "Da hier eine tiefere Analyse nötig ist, habe ich den Fall an die Kollegen von {team} übergeben.",
        "Ich habe die Kollegen aus {team} hinzugezogen, sie sehen sich das mit Priorität an.",
        "Ihr Ticket liegt jetzt bei {team}. Sie müssen nichts weiter tun.",
        "Dieses Anliegen kann nur {team} lösen, deshalb habe ich es dorthin weitergeleitet.",
        (
            "Ich habe Ihren Fall mit hoher Priorität an {team} übergeben und bleibe selbst als "
            "Ansprechpartner dabei."
        ),
        "Damit es schneller geht, bearbeitet ab jetzt {team} Ihr Anliegen.",
        "Die Kollegen von {team} haben Ihren Fall übernommen und melden sich innerhalb von {days} Werktagen.",
        "Ich habe das an {team} eskaliert, mit dem Hinweis, dass es dringend ist.",
        "Ihr Anliegen wurde an unsere Spezialisten ({team}) weitergegeben.",
        "Ihr Ticket {ticket} ist jetzt bei {team} in Bearbeitung.",
        "Ich habe {team} eingeschaltet, da hier eine Freigabe von dort nötig ist.",
        "Wegen der Dringlichkeit habe ich Ihren Fall direkt an {team} übergeben.",
        "Ab hier übernehmen die Kollegen aus {team}, sie haben den gesamten Verlauf vorliegen.",
    ],
    internal_note=[
        "Kunde sehr verärgert, bitte zeitnah bearbeiten.",
        "Hab mit {team} gesprochen, die schauen sich das heute noch an.",
        "Bereits dritter Kontakt zu diesem Thema, bitte den Verlauf lesen.",
        "Rückruf für morgen Vormittag zugesagt.",
        "Logs angehängt, sieht nach einem Fehler im Backend aus. An {team} übergeben.",
        "B2B-Kunde mit größerem Vertrag, bitte sorgfältig antworten.",
        "Kann das Problem nicht nachstellen, bitte {team} um Einschätzung.",
        "Identität geprüft, Ausweiskopie liegt im Anhang.",
        "Warte auf Rückmeldung vom Kunden, Ticket auf pending gesetzt.",
        "Bitte nicht schließen, bevor {team} bestätigt hat.",
        "Heute schon dreimal derselbe Fehler gemeldet, evtl. größere Störung?",
        "Kunde war im Chat recht ungehalten, ist aber sachlich geblieben.",
        "Übergabe: Kunde ist über die Verzögerung informiert, nächster Schritt liegt bei {team}.",
        "Textbaustein passt hier nicht, bitte individuell antworten.",
        "Bin ab morgen im Urlaub, kann jemand den Fall übernehmen?",
        "Laut {team} ist ein Fix für nächste Woche geplant.",
        "Kulanzgutschrift über {amount} ist freigegeben.",
        "{ticket} ist ein Duplikat, bitte zusammenführen.",
        "Kunden angerufen, nicht erreicht. Versuche es morgen nochmal.",
    ],
    bot_autoreply=[
        (
            "Vielen Dank für Ihre Nachricht! Ihre Anfrage {ticket} ist bei uns eingegangen. Wir melden uns "
            "so schnell wie möglich."
        ),
        (
            "Ihre Anfrage {ticket} ist bei uns eingegangen. Unsere durchschnittliche Antwortzeit beträgt "
            "derzeit {days} Werktage."
        ),
        (
            "Dies ist eine automatische Eingangsbestätigung. Bitte antworten Sie nicht auf diese E-Mail. "
            "Ihre Ticketnummer lautet {ticket}."
        ),
        (
            "Danke für Ihre Anfrage. Wir haben sie unter der Nummer {ticket} erfasst und bearbeiten sie in "
            "der Reihenfolge des Eingangs."
        ),
        (
            "Hallo {name}, wir haben Ihre Nachricht erhalten (Ticket {ticket}). Ein Mitarbeiter meldet sich "
            "in Kürze bei Ihnen."
        ),
        (
            "Aufgrund eines erhöhten Aufkommens kann es derzeit zu längeren Antwortzeiten kommen. Ihre "
            "Anfrage {ticket} ist registriert."
        ),
        "Vielen Dank. Ihre Nachricht wurde dem Vorgang {ticket} zugeordnet.",
        (
            "Wir haben Ihre E-Mail erhalten (Ticket {ticket}). Viele Antworten finden Sie schon jetzt in "
            "unserem Hilfe-Center unter www.nimbus.de/hilfe."
        ),
        (
            "Automatische Antwort: Ihre Anfrage wurde unter {ticket} gespeichert. Bitte geben Sie diese "
            "Nummer bei Rückfragen an."
        ),
        (
            "Danke für Ihre Nachricht an den Nimbus Kundenservice. Unsere Servicezeiten sind Mo–Fr 8–20 Uhr; "
            "Anfragen außerhalb dieser Zeiten bearbeiten wir am nächsten Werktag. Ticket: {ticket}"
        ),
        (
            "Ihre Anfrage {ticket} ist eingegangen. Über aktuelle Störungen informieren wir auf "
            "status.nimbus.de."
        ),
        "Guten Tag, Ihre Nachricht ist angekommen. Wir haben das Ticket {ticket} für Sie angelegt.",
        (
            "Vielen Dank! Wir haben Ihre Anfrage erhalten und an das zuständige Team weitergeleitet. "
            "Ticketnummer: {ticket}"
        ),
        (
            "Dies ist eine automatisch erzeugte Nachricht: Ihre Rückmeldung zu {ticket} wurde dem Vorgang "
            "hinzugefügt."
        ),
        (
            "Hallo! Danke, dass Sie sich an uns wenden. Wir kümmern uns schnellstmöglich um Ihr Anliegen "
            "({ticket})."
        ),
        (
            "Ihre Anfrage ist eingegangen und hat die Nummer {ticket}. Eine persönliche Antwort erhalten Sie "
            "in der Regel innerhalb von {days} Werktagen."
        ),
    ],
    escalation_reason={
        "billing_payment": [
            "Doppelte Abbuchung, Erstattung durch Buchhaltung nötig",
            "Rückerstattung überfällig",
            "Falscher Betrag berechnet, Korrektur erforderlich",
            "Lastschrift geplatzt, Mahngebühren strittig",
            "Zahlung in Nimbus Pay hängt",
            "Rechnungskorrektur nur durch Buchhaltung möglich",
            "Kulanzbetrag über Freigabelimit",
            "Abbuchung nach Kündigung",
            "Tarifwechsel fehlerhaft abgerechnet",
            "Kunde kündigt Rückbuchung an",
            "Wiederholte Beschwerde zur Abrechnung",
            "Steuerausweis falsch, Finanzabteilung muss prüfen",
        ],
        "technical_fault": [
            "Hardwaredefekt vermutet",
            "Im 1st Level nicht lösbar",
            "Verdacht auf Netzstörung in der Region",
            "Firmware-Fehler, Entwicklung muss prüfen",
            "Sync-Fehler serverseitig",
            "App-Absturz reproduzierbar, Bug-Ticket nötig",
            "Wiederherstellung scheitert, Datenverlust droht",
            "Ausfall der Business Suite bei Firmenkunde",
            "Wiederholte Verbindungsabbrüche trotz Gerätetausch",
            "Logs deuten auf Backend-Problem",
            "Mehrere Kunden mit gleichem Fehler",
            "Kunde seit mehreren Tagen ohne Internet",
        ],
        "account": [
            "Kontosperre, manuelle Freigabe nötig",
            "2FA-Reset erfordert Identitätsprüfung",
            "DSGVO-Löschantrag, Frist läuft",
            "DSGVO-Auskunftsersuchen",
            "Verdacht auf Kontoübernahme",
            "Inhaberwechsel im Todesfall",
            "Admin-Übertragung ohne Zustimmung des bisherigen Admins",
            "E-Mail-Änderung ohne Zugriff auf alte Adresse",
            "Login-Fehler betrifft mehrere Nutzer",
            "Passwort-Reset-Mails werden nicht zugestellt",
            "Datenschutzbeschwerde angekündigt",
            "Sicherheitsteam muss Aktivitäten prüfen",
        ],
        "shipping_returns": [
            "Paket verloren, Nachforschung ergebnislos",
            "Erstattung nach Retoure überfällig",
            "Transportschaden, Ersatzlieferung nötig",
            "Lieferverzug über {days} Tage",
            "Retoure im Lager nicht auffindbar",
            "Falschlieferung, Lager muss prüfen",
            "Austauschgerät nicht versendet",
            "Retourenschein wird fehlerhaft erzeugt",
            "Zustellnachweis strittig",
            "Versand ins Ausland blockiert",
            "Wiederholte Nachfrage zum Lieferstatus",
            "Kunde bis zur Lieferung ohne Internet",
        ],
        "data_migration": [
            "Datensätze fehlen nach Import",
            "Stichtag gefährdet",
            "CSV-Import schlägt wiederholt fehl",
            "Kodierungsfehler, Datenbereinigung nötig",
            "Importjob hängt serverseitig",
            "Dubletten in großer Zahl",
            "Anhänge nicht migriert",
            "Benutzerdefinierte Felder fehlen",
            "Firmenkunde, Go-live in Gefahr",
            "Fehlerhafte Feldzuordnung durch Onboarding",
            "Abgleich mit Altsystem stimmt nicht",
            "Migration erfordert Eingriff der Entwicklung",
        ],
        "feature_request": [
            "Wunsch eines Großkunden, Produktteam soll bewerten",
            "Funktion vertraglich zugesagt",
            "Mehrfach angefragte Funktion",
            "API-Zugang nur durch Produktteam freizugeben",
            "Kunde macht Verlängerung von Funktion abhängig",
            "Vorschlag für Beta-Programm",
            "Rechtliche Anforderung (E-Rechnung)",
            "Roadmap-Frage, Support kann keine Auskunft geben",
            "Vorschlag mit großer Resonanz im Forum",
            "Kunde unzufrieden mit fehlender Funktion",
            "Barrierefreiheit betroffen",
            "Anfrage zu Sicherheits- und Compliance-Funktion",
        ],
    },
)
