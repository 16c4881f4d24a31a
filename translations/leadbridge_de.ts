<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ContactDialog</name>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>The contact is saved in GHL first; it appears here once GHL has accepted it.</source>
        <translation>Der Kontakt wird zuerst in GHL gespeichert; er erscheint hier, sobald GHL ihn angenommen hat.</translation>
    </message>
    <message>
        <source>&amp;First name:</source>
        <translation>&amp;Vorname:</translation>
    </message>
    <message>
        <source>&amp;Last name:</source>
        <translation>&amp;Nachname:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Telefon:</translation>
    </message>
    <message>
        <source>+49 30 1234567</source>
        <translation>+49 30 1234567</translation>
    </message>
    <message>
        <source>C&amp;ompany:</source>
        <translation>&amp;Firma:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>C&amp;ity:</source>
        <translation>&amp;Ort:</translation>
    </message>
    <message>
        <source>&amp;State:</source>
        <translation>&amp;Bundesland:</translation>
    </message>
    <message>
        <source>Post&amp;al code:</source>
        <translation>&amp;Postleitzahl:</translation>
    </message>
    <message>
        <source>Co&amp;untry:</source>
        <translation>&amp;Land:</translation>
    </message>
    <message>
        <source>Two-letter code, e.g. DE</source>
        <translation>Zweibuchstabiger Code, z. B. DE</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>&amp;Website:</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>&amp;Tags:</translation>
    </message>
    <message>
        <source>Separated by commas</source>
        <translation>Durch Kommas getrennt</translation>
    </message>
</context>
<context>
    <name>ContactsView</name>
    <message>
        <source>Search contacts</source>
        <translation>Kontakte suchen</translation>
    </message>
    <message>
        <source>Search name, email, phone, company or tag (Ctrl+F)</source>
        <translation>Name, E-Mail, Telefon, Firma oder Tag suchen (Strg+F)</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Refreshing from GHL…</source>
        <translation>Aktualisiere aus GHL …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Select a contact to see its details, tasks, notes and appointments.</source>
        <translation>Wählen Sie einen Kontakt, um seine Details, Aufgaben, Notizen und Termine zu sehen.</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen …</translation>
    </message>
    <message>
        <source>Tags:</source>
        <translation>Tags:</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Tag hinzufügen …</translation>
    </message>
    <message>
        <source>Add a tag to this contact in GHL</source>
        <translation>Diesem Kontakt in GHL ein Tag hinzufügen</translation>
    </message>
    <message>
        <source>Remove tag</source>
        <translation>Tag entfernen</translation>
    </message>
    <message>
        <source>Remove one of the contact’s tags in GHL</source>
        <translation>Eines der Tags des Kontakts in GHL entfernen</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Contact fields</source>
        <translation>Kontaktfelder</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>New task…</source>
        <translation>Neue Aufgabe …</translation>
    </message>
    <message>
        <source>Mark complete</source>
        <translation>Als erledigt markieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Selected note</source>
        <translation>Ausgewählte Notiz</translation>
    </message>
    <message>
        <source>Add note…</source>
        <translation>Notiz hinzufügen …</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>Termine</translation>
    </message>
    <message>
        <source>&amp;Search contacts</source>
        <translation>Kontakte &amp;suchen</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;New contact…</source>
        <translation>&amp;Neuer Kontakt …</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Neuer Kontakt</translation>
    </message>
    <message>
        <source>Create a contact in GHL (Ctrl+N)</source>
        <translation>Einen Kontakt in GHL anlegen (Strg+N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Edit contact…</source>
        <translation>Kontakt &amp;bearbeiten …</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Delete contact…</source>
        <translation>Kontakt &amp;löschen …</translation>
    </message>
    <message>
        <source>Delete the selected contact in GHL (Delete)</source>
        <translation>Den ausgewählten Kontakt in GHL löschen (Entf)</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>Refresh &amp;contact from GHL</source>
        <translation>&amp;Kontakt aus GHL aktualisieren</translation>
    </message>
    <message>
        <source>Refresh contact</source>
        <translation>Kontakt aktualisieren</translation>
    </message>
    <message>
        <source>Shift+F5</source>
        <translation>Shift+F5</translation>
    </message>
    <message>
        <source>&amp;Refresh all from GHL</source>
        <translation>&amp;Alles aus GHL aktualisieren</translation>
    </message>
    <message>
        <source>Refresh all</source>
        <translation>Alles aktualisieren</translation>
    </message>
    <message>
        <source>Bring in every change made in GHL (F5)</source>
        <translation>Alle Änderungen aus GHL übernehmen (F5)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
</context>
<context>
    <name>LaunchOptions</name>
    <message>
        <source>Keeps Saleshandy in step with GoHighLevel.</source>
        <translation>Hält Saleshandy mit GoHighLevel auf dem gleichen Stand.</translation>
    </message>
    <message>
        <source>Start with simulated GHL and Saleshandy services and sample data.</source>
        <translation>Mit simulierten GHL- und Saleshandy-Diensten und Beispieldaten starten.</translation>
    </message>
    <message>
        <source>Use the profile &lt;name&gt; (its credentials, database and mapping).</source>
        <translation>Das Profil &lt;name&gt; verwenden (seine Zugangsdaten, Datenbank und Zuordnung).</translation>
    </message>
    <message>
        <source>name</source>
        <translation>name</translation>
    </message>
    <message>
        <source>Open on the view &lt;view&gt;: contacts, mapping, sync or logs.</source>
        <translation>Mit der Ansicht &lt;ansicht&gt; öffnen: contacts, mapping, sync oder logs.</translation>
    </message>
    <message>
        <source>view</source>
        <translation>ansicht</translation>
    </message>
    <message>
        <source>Save a PNG of the window to &lt;file&gt; once it is shown, then quit.</source>
        <translation>Ein PNG des Fensters in &lt;datei&gt; speichern, sobald es angezeigt wird, und dann beenden.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>datei</translation>
    </message>
    <message>
        <source>The profile name must not be empty.</source>
        <translation>Der Profilname darf nicht leer sein.</translation>
    </message>
    <message>
        <source>Unknown view “%1”: use contacts, mapping, sync or logs.</source>
        <translation>Unbekannte Ansicht „%1“: contacts, mapping, sync oder logs verwenden.</translation>
    </message>
    <message>
        <source>--screenshot needs a file name.</source>
        <translation>--screenshot braucht einen Dateinamen.</translation>
    </message>
    <message>
        <source>Unexpected argument “%1”.</source>
        <translation>Unerwartetes Argument „%1“.</translation>
    </message>
    <message>
        <source>In demo mode, run &lt;n&gt; syncs before showing the view (one with failed records), so the dashboard and the logs have something to show.</source>
        <translation>Im Demomodus vor dem Anzeigen der Ansicht &lt;n&gt; Synchronisierungen ausführen (eine davon mit fehlgeschlagenen Datensätzen), damit Dashboard und Protokoll etwas zeigen.</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>In demo mode, then change some contacts in the simulated GHL and show a dry run&apos;s diff.</source>
        <translation>Im Demomodus danach einige Kontakte im simulierten GHL ändern und die Unterschiede eines Probelaufs zeigen.</translation>
    </message>
    <message>
        <source>--demo-runs needs a number from 0 to 20.</source>
        <translation>--demo-runs braucht eine Zahl von 0 bis 20.</translation>
    </message>
    <message>
        <source>--demo-runs and --demo-dry-run need --demo.</source>
        <translation>--demo-runs und --demo-dry-run brauchen --demo.</translation>
    </message>
</context>
<context>
    <name>LogsView</name>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Retry failed records</source>
        <translation>Fehlgeschlagene erneut senden</translation>
    </message>
    <message>
        <source>Send the records that failed in the chosen run again (no pull from GHL).</source>
        <translation>Die im gewählten Lauf fehlgeschlagenen Datensätze erneut senden (ohne Abruf aus GHL).</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Als CSV exportieren…</translation>
    </message>
    <message>
        <source>Save the chosen run&apos;s events, as filtered, as a CSV file.</source>
        <translation>Die Ereignisse des gewählten Laufs, wie gefiltert, als CSV-Datei speichern.</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Art:</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>Ergebnis:</translation>
    </message>
    <message>
        <source>Search GHL id, Saleshandy id or reason</source>
        <translation>GHL-ID, Saleshandy-ID oder Grund suchen</translation>
    </message>
    <message>
        <source>Retry selected</source>
        <translation>Auswahl erneut senden</translation>
    </message>
    <message>
        <source>Send the selected failed contacts again, with their tasks and notes.</source>
        <translation>Die ausgewählten fehlgeschlagenen Kontakte samt Aufgaben und Notizen erneut senden.</translation>
    </message>
    <message>
        <source>With warnings</source>
        <translation>Mit Warnungen</translation>
    </message>
    <message>
        <source>Only records written with a field not sent exactly as GHL has it (kept as written, cut, left unchanged, sent empty).</source>
        <translation>Nur Datensätze, die mit einem Feld geschrieben wurden, das nicht genau wie in GHL gesendet wurde (wie geschrieben übernommen, gekürzt, unverändert belassen, leer gesendet).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>LeadBridge</source>
        <translation>LeadBridge</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Contacts of the GHL location (Ctrl+1)</source>
        <translation>Kontakte der GHL-Location (Strg+1)</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>Zuordnung</translation>
    </message>
    <message>
        <source>Which GHL field fills which Saleshandy field (Ctrl+2)</source>
        <translation>Welches GHL-Feld welches Saleshandy-Feld füllt (Strg+2)</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Abgleich</translation>
    </message>
    <message>
        <source>Run and preview syncs (Ctrl+3)</source>
        <translation>Abgleiche starten und vorab prüfen (Strg+3)</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Past runs and the outcome of every record (Ctrl+4)</source>
        <translation>Frühere Läufe und das Ergebnis jedes Datensatzes (Strg+4)</translation>
    </message>
    <message>
        <source>Field mapping arrives with the sync engine.</source>
        <translation>Die Feldzuordnung kommt mit der Abgleich-Engine.</translation>
    </message>
    <message>
        <source>Choose which GHL field fills which Saleshandy field, starting from the defaults: name, email, phone, company, city, country, tags, tasks, notes and the next appointment. Mappings can be exported and imported as JSON.</source>
        <translation>Legen Sie fest, welches GHL-Feld welches Saleshandy-Feld füllt, ausgehend von den Vorgaben: Name, E-Mail, Telefon, Firma, Ort, Land, Tags, Aufgaben, Notizen und der nächste Termin. Zuordnungen lassen sich als JSON exportieren und importieren.</translation>
    </message>
    <message>
        <source>Sync runs arrive with the sync engine.</source>
        <translation>Abgleichläufe kommen mit der Abgleich-Engine.</translation>
    </message>
    <message>
        <source>Start a run, or preview it first as a dry run that shows, field by field, what would be created or updated in Saleshandy. Follow its progress and the requests left in each service&apos;s quota.</source>
        <translation>Starten Sie einen Lauf oder prüfen Sie ihn zuerst als Probelauf, der Feld für Feld zeigt, was in Saleshandy angelegt oder aktualisiert würde. Verfolgen Sie den Fortschritt und die verbleibenden Anfragen im Kontingent jedes Dienstes.</translation>
    </message>
    <message>
        <source>The sync log arrives with the local store.</source>
        <translation>Das Abgleichprotokoll kommt mit dem lokalen Speicher.</translation>
    </message>
    <message>
        <source>Every run and the outcome of every record in it: created, updated, unchanged, invalid or failed, with the reason. Filter the log, retry what failed and export it.</source>
        <translation>Jeder Lauf und das Ergebnis jedes Datensatzes darin: angelegt, aktualisiert, unverändert, ungültig oder fehlgeschlagen, mit dem Grund. Filtern Sie das Protokoll, wiederholen Sie Fehlgeschlagenes und exportieren Sie es.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Contacts</source>
        <translation>&amp;Kontakte</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Mapping</source>
        <translation>&amp;Zuordnung</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>Ab&amp;gleich</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>&amp;Protokoll</translation>
    </message>
    <message>
        <source>Ctrl+4</source>
        <translation>Ctrl+4</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt abgleichen</translation>
    </message>
    <message>
        <source>Sync runs arrive with the sync engine</source>
        <translation>Abgleichläufe kommen mit der Abgleich-Engine</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <source>Previews arrive with the sync engine</source>
        <translation>Vorschauen kommen mit der Abgleich-Engine</translation>
    </message>
    <message>
        <source>&amp;About LeadBridge</source>
        <translation>Ü&amp;ber LeadBridge</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Über</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Connect LeadBridge to a GHL location.</source>
        <translation>Verbinden Sie LeadBridge mit einem GHL-Standort.</translation>
    </message>
    <message>
        <source>Set up a profile with your GHL location id and a Private Integration Token (or your own marketplace app), or try LeadBridge with the built-in demo data. Your contacts are then listed here with their tasks, notes and appointments, and stay readable offline.</source>
        <translation>Richten Sie ein Profil mit Ihrer GHL-Standort-ID und einem Private Integration Token (oder Ihrer eigenen Marketplace-App) ein, oder probieren Sie LeadBridge mit den eingebauten Demodaten aus. Ihre Kontakte erscheinen dann hier mit ihren Aufgaben, Notizen und Terminen und bleiben auch offline lesbar.</translation>
    </message>
    <message>
        <source>Set up a profile…</source>
        <translation>Profil einrichten …</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Demo ausprobieren</translation>
    </message>
    <message>
        <source>C&amp;ontacts</source>
        <translation>K&amp;ontakte</translation>
    </message>
    <message>
        <source>&amp;Profile</source>
        <translation>&amp;Profil</translation>
    </message>
    <message>
        <source>&amp;Set up profile…</source>
        <translation>Profil &amp;einrichten …</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Accounts, credentials and the GHL location of a profile</source>
        <translation>Konten, Zugangsdaten und GHL-Standort eines Profils</translation>
    </message>
    <message>
        <source>&amp;Forget credentials…</source>
        <translation>Zugangsdaten &amp;vergessen …</translation>
    </message>
    <message>
        <source>Remove this profile&apos;s tokens and keys from the keychain</source>
        <translation>Tokens und Schlüssel dieses Profils aus dem Schlüsselbund entfernen</translation>
    </message>
</context>
<context>
    <name>MappingView</name>
    <message>
        <source>Record kind:</source>
        <translation>Datensatzart:</translation>
    </message>
    <message>
        <source>Sample contact:</source>
        <translation>Beispielkontakt:</translation>
    </message>
    <message>
        <source>GHL fields: drag one onto a Saleshandy field</source>
        <translation>GHL-Felder: eines auf ein Saleshandy-Feld ziehen</translation>
    </message>
    <message>
        <source>→</source>
        <translation>→</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>Regel hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Create in Saleshandy</source>
        <translation>In Saleshandy anlegen</translation>
    </message>
    <message>
        <source>Create the selected field, which the mapping needs, in Saleshandy now.</source>
        <translation>Das gewählte Feld, das die Zuordnung braucht, jetzt in Saleshandy anlegen.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Versions:</source>
        <translation>Versionen:</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Load the chosen saved version into the editor (undoable).</source>
        <translation>Die gewählte gespeicherte Version in den Editor laden (rückgängig machbar).</translation>
    </message>
    <message>
        <source>Save version…</source>
        <translation>Version speichern…</translation>
    </message>
    <message>
        <source>Save the mapping as a new named version; the next run uses it.</source>
        <translation>Die Zuordnung als neue benannte Version speichern; der nächste Lauf verwendet sie.</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Rules (double-click a target, a transform, what to do when a value can’t be converted, or a default to change it)</source>
        <translation>Regeln (doppelklicken Sie auf ein Ziel, eine Umwandlung, das Verhalten bei nicht umwandelbaren Werten oder eine Vorgabe, um es zu ändern)</translation>
    </message>
    <message>
        <source>Saleshandy fields (read live; double-click a limit to set it)</source>
        <translation>Saleshandy-Felder (live gelesen; doppelklicken Sie auf ein Limit, um es festzulegen)</translation>
    </message>
    <message>
        <source>Preview of the sample contact</source>
        <translation>Vorschau des Beispielkontakts</translation>
    </message>
    <message>
        <source>The prospect Saleshandy would receive for the sample contact, with a warning on every field not sent exactly as GHL has it.</source>
        <translation>Der Interessent, den Saleshandy für den Beispielkontakt erhalten würde, mit einer Warnung bei jedem Feld, das nicht genau wie in GHL gesendet wird.</translation>
    </message>
    <message>
        <source>Sync rules: shared emails, deletions, phone country</source>
        <translation>Abgleichregeln: gemeinsame E-Mails, Löschungen, Telefonland</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Notiz:</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up LeadBridge</source>
        <translation>LeadBridge einrichten</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Willkommen</translation>
    </message>
    <message>
        <source>LeadBridge keeps Saleshandy in step with a GoHighLevel (GHL) location. Each profile is one location, with its own credentials and local copy.</source>
        <translation>LeadBridge hält Saleshandy mit einem GoHighLevel-Standort (GHL) im Gleichschritt. Jedes Profil ist ein Standort mit eigenen Zugangsdaten und eigener lokaler Kopie.</translation>
    </message>
    <message>
        <source>&amp;Profile name:</source>
        <translation>&amp;Profilname:</translation>
    </message>
    <message>
        <source>e.g. the location&apos;s name</source>
        <translation>z. B. der Name des Standorts</translation>
    </message>
    <message>
        <source>Connect my &amp;GHL and Saleshandy accounts</source>
        <translation>Meine &amp;GHL- und Saleshandy-Konten verbinden</translation>
    </message>
    <message>
        <source>Try the &amp;demo: simulated services with sample contacts, no accounts needed</source>
        <translation>&amp;Demo ausprobieren: simulierte Dienste mit Beispielkontakten, ohne Konten</translation>
    </message>
    <message>
        <source>Tokens and API keys are kept in the system keychain (Secret Service or KWallet), never in a settings file.</source>
        <translation>Tokens und API-Schlüssel liegen im Schlüsselbund des Systems (Secret Service oder KWallet), nie in einer Einstellungsdatei.</translation>
    </message>
    <message>
        <source>GoHighLevel</source>
        <translation>GoHighLevel</translation>
    </message>
    <message>
        <source>The location (sub-account) to work with, and how LeadBridge signs in to it.</source>
        <translation>Der Standort (Unterkonto), mit dem gearbeitet wird, und wie sich LeadBridge dort anmeldet.</translation>
    </message>
    <message>
        <source>&amp;Location id:</source>
        <translation>&amp;Standort-ID:</translation>
    </message>
    <message>
        <source>Settings → Business Profile in the location</source>
        <translation>Einstellungen → Unternehmensprofil im Standort</translation>
    </message>
    <message>
        <source>&amp;Service address:</source>
        <translation>&amp;Dienstadresse:</translation>
    </message>
    <message>
        <source>https://services.leadconnectorhq.com</source>
        <translation>https://services.leadconnectorhq.com</translation>
    </message>
    <message>
        <source>Private &amp;Integration Token (Settings → Private Integrations in the location)</source>
        <translation>Private &amp;Integration Token (Einstellungen → Private Integrations im Standort)</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <source>pit-…</source>
        <translation>pit-…</translation>
    </message>
    <message>
        <source>&amp;OAuth with my own marketplace app</source>
        <translation>&amp;OAuth mit meiner eigenen Marketplace-App</translation>
    </message>
    <message>
        <source>Client &amp;id:</source>
        <translation>Client-&amp;ID:</translation>
    </message>
    <message>
        <source>Client s&amp;ecret:</source>
        <translation>Client-&amp;Secret:</translation>
    </message>
    <message>
        <source>Sign in with GHL in the browser…</source>
        <translation>Im Browser bei GHL anmelden …</translation>
    </message>
    <message>
        <source>Test &amp;connection</source>
        <translation>&amp;Verbindung testen</translation>
    </message>
    <message>
        <source>Saleshandy</source>
        <translation>Saleshandy</translation>
    </message>
    <message>
        <source>The API key from Saleshandy&apos;s Settings → API Key. You can add it later.</source>
        <translation>Der API-Schlüssel aus Saleshandys Einstellungen → API Key. Sie können ihn auch später eintragen.</translation>
    </message>
    <message>
        <source>&amp;API key:</source>
        <translation>&amp;API-Schlüssel:</translation>
    </message>
    <message>
        <source>Test c&amp;onnection</source>
        <translation>V&amp;erbindung testen</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Fertig</translation>
    </message>
</context>
<context>
    <name>SyncDashboard</name>
    <message>
        <source>Run now</source>
        <translation>Jetzt ausführen</translation>
    </message>
    <message>
        <source>Full run</source>
        <translation>Vollständiger Lauf</translation>
    </message>
    <message>
        <source>Read every contact from GHL, not only those changed since the last run; also finds contacts deleted in GHL.</source>
        <translation>Alle Kontakte aus GHL lesen, nicht nur die seit dem letzten Lauf geänderten; findet auch in GHL gelöschte Kontakte.</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <source>Plan the run and show what would change in Saleshandy, without writing anything.</source>
        <translation>Den Lauf planen und zeigen, was sich in Saleshandy ändern würde, ohne etwas zu schreiben.</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <source>Run for real what the dry run showed.</source>
        <translation>Das im Probelauf Gezeigte wirklich ausführen.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop safely: nothing is half-recorded; the next run finishes the work.</source>
        <translation>Sicher anhalten: nichts wird halb gespeichert; der nächste Lauf erledigt den Rest.</translation>
    </message>
    <message>
        <source>Run automatically every</source>
        <translation>Automatisch ausführen alle</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>Pull from GHL</source>
        <translation>Abruf aus GHL</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Planen</translation>
    </message>
    <message>
        <source>Apply to Saleshandy</source>
        <translation>In Saleshandy schreiben</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>GHL quota</source>
        <translation>GHL-Kontingent</translation>
    </message>
    <message>
        <source>Saleshandy quota</source>
        <translation>Saleshandy-Kontingent</translation>
    </message>
    <message>
        <source>A warning means a value was not sent exactly as GHL has it: kept as written because it could not be converted, cut at the field&apos;s limit, left unchanged or sent empty by the rule&apos;s choice. The Logs page lists them per field (&quot;With warnings&quot;).</source>
        <translation>Eine Warnung bedeutet, dass ein Wert nicht genau wie in GHL gesendet wurde: wie geschrieben übernommen, weil er nicht umgewandelt werden konnte, am Feldlimit gekürzt oder nach Wahl der Regel unverändert belassen bzw. leer gesendet. Die Protokollseite listet sie je Feld auf (&quot;Mit Warnungen&quot;).</translation>
    </message>
</context>
<context>
    <name>SyncRulesForm</name>
    <message>
        <source>Contacts sharing an email: fields from</source>
        <translation>Kontakte mit gleicher E-Mail: Felder aus</translation>
    </message>
    <message>
        <source>GHL contacts whose emails are the same (ignoring case and spaces) are one Saleshandy prospect. Its fields come from this contact; what it lacks is filled from the others. The tasks and notes of every contact of the group go to the prospect.</source>
        <translation>GHL-Kontakte mit gleicher E-Mail-Adresse (ohne Beachtung von Groß-/Kleinschreibung und Leerzeichen) bilden einen Saleshandy-Interessenten. Seine Felder stammen von diesem Kontakt; was ihm fehlt, wird aus den anderen ergänzt. Die Aufgaben und Notizen aller Kontakte der Gruppe gehen an den Interessenten.</translation>
    </message>
    <message>
        <source>and tags from</source>
        <translation>und Tags aus</translation>
    </message>
    <message>
        <source>A note deleted in GHL</source>
        <translation>Eine in GHL gelöschte Notiz</translation>
    </message>
    <message>
        <source>Saleshandy cannot delete notes. Either way the log says the note was deleted in GHL.</source>
        <translation>Saleshandy kann keine Notizen löschen. In beiden Fällen vermerkt das Protokoll, dass die Notiz in GHL gelöscht wurde.</translation>
    </message>
    <message>
        <source>A contact deleted in GHL</source>
        <translation>Ein in GHL gelöschter Kontakt</translation>
    </message>
    <message>
        <source>Saleshandy&apos;s API cannot delete prospects: LeadBridge can tag them so that you find them.</source>
        <translation>Die API von Saleshandy kann keine Interessenten löschen: LeadBridge kann sie mit einem Tag versehen, damit Sie sie finden.</translation>
    </message>
    <message>
        <source>The tag given to the prospects of contacts deleted in GHL.</source>
        <translation>Das Tag, das die Interessenten von in GHL gelöschten Kontakten erhalten.</translation>
    </message>
    <message>
        <source>ghl-deleted</source>
        <translation>ghl-deleted</translation>
    </message>
    <message>
        <source>Phone numbers without a country code</source>
        <translation>Telefonnummern ohne Ländervorwahl</translation>
    </message>
    <message>
        <source>A phone number written without a calling code (e.g. 030 1234567) is read in the contact&apos;s own country, else in this one. Type to search.</source>
        <translation>Eine Telefonnummer ohne Ländervorwahl (z. B. 030 1234567) wird dem Land des Kontakts zugeordnet, sonst diesem Land. Tippen Sie, um zu suchen.</translation>
    </message>
    <message>
        <source>Used when the contact has no country of its own. A number that still cannot be read is sent as written, with a warning.</source>
        <translation>Wird verwendet, wenn der Kontakt kein eigenes Land hat. Eine Nummer, die dann immer noch nicht gelesen werden kann, wird wie geschrieben gesendet, mit einer Warnung.</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>&amp;Due:</source>
        <translation>&amp;Fällig:</translation>
    </message>
    <message>
        <source>D&amp;escription:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>&amp;Completed</source>
        <translation>&amp;Erledigt</translation>
    </message>
</context>
<context>
    <name>WarningTexts</name>
    <message>
        <source>kept as written</source>
        <translation>wie geschrieben übernommen</translation>
    </message>
    <message>
        <source>cut</source>
        <translation>gekürzt</translation>
    </message>
    <message>
        <source>left unchanged</source>
        <translation>unverändert belassen</translation>
    </message>
    <message>
        <source>sent empty</source>
        <translation>leer gesendet</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message numerus="yes">
        <source>%n value(s) kept as written</source>
        <translation>
            <numerusform>%n Wert wie geschrieben übernommen</numerusform>
            <numerusform>%n Werte wie geschrieben übernommen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cut at the field&apos;s limit</source>
        <translation>
            <numerusform>%n am Feldlimit gekürzt</numerusform>
            <numerusform>%n am Feldlimit gekürzt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left unchanged in Saleshandy</source>
        <translation>
            <numerusform>%n in Saleshandy unverändert belassen</numerusform>
            <numerusform>%n in Saleshandy unverändert belassen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sent empty</source>
        <translation>
            <numerusform>%n leer gesendet</numerusform>
            <numerusform>%n leer gesendet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not sent</source>
        <translation>
            <numerusform>%n nicht gesendet</numerusform>
            <numerusform>%n nicht gesendet</numerusform>
        </translation>
    </message>
    <message>
        <source>Task note</source>
        <translation>Aufgabennotiz</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>Fälligkeitsdatum</translation>
    </message>
    <message>
        <source>Task type</source>
        <translation>Aufgabentyp</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1, %2, %3 sent with a warning</source>
        <extracomment>&quot;3 prospects, 1 task, 0 notes sent with a warning&quot;</extracomment>
        <translation>%1, %2, %3 mit einer Warnung gesendet</translation>
    </message>
    <message numerus="yes">
        <source>%n prospect(s)</source>
        <translation>
            <numerusform>%n Interessent</numerusform>
            <numerusform>%n Interessenten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s)</source>
        <translation>
            <numerusform>%n Aufgabe</numerusform>
            <numerusform>%n Aufgaben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n Notiz</numerusform>
            <numerusform>%n Notizen</numerusform>
        </translation>
    </message>
    <message>
        <source>: %1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>.</source>
        <translation>.</translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) merged into the prospect of a contact with the same email.</source>
        <translation>
            <numerusform>%n Kontakt in den Interessenten eines Kontakts mit gleicher E-Mail zusammengeführt.</numerusform>
            <numerusform>%n Kontakte in den Interessenten eines Kontakts mit gleicher E-Mail zusammengeführt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) deleted in GHL handled as the sync rules say.</source>
        <translation>
            <numerusform>%n in GHL gelöschter Kontakt gemäß den Abgleichregeln behandelt.</numerusform>
            <numerusform>%n in GHL gelöschte Kontakte gemäß den Abgleichregeln behandelt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lb</name>
    <message>
        <source>Saleshandy %1 field &apos;%2&apos;</source>
        <translation>Saleshandy-Feld &apos;%2&apos; vom Typ %1</translation>
    </message>
    <message>
        <source>GHL %1 value %2 cannot go into %3</source>
        <translation>GHL-Wert %2 vom Typ %1 passt nicht in %3</translation>
    </message>
    <message>
        <source>GHL %1 %2 into %3: values that are not numbers will be reported per record</source>
        <translation>GHL %1 %2 in %3: Werte, die keine Zahlen sind, werden je Datensatz gemeldet</translation>
    </message>
    <message>
        <source>GHL TEXT %1 into %2: values that are not dates will be reported per record</source>
        <translation>GHL TEXT %1 in %2: Werte, die keine Datumsangaben sind, werden je Datensatz gemeldet</translation>
    </message>
    <message>
        <source>GHL TEXT %1 into %2: values that are not among its options will be reported per record</source>
        <translation>GHL TEXT %1 in %2: Werte, die nicht zu seinen Optionen gehören, werden je Datensatz gemeldet</translation>
    </message>
    <message>
        <source>no contact rule writes Saleshandy&apos;s Email, the key that identifies a prospect: add one (email → Email)</source>
        <translation>keine Kontaktregel schreibt das Saleshandy-Feld Email, den Schlüssel, der einen Interessenten identifiziert: Fügen Sie eine hinzu (email → Email)</translation>
    </message>
    <message>
        <source>unknown time zone &apos;%1&apos; (use an IANA name such as &quot;Europe/Berlin&quot;)</source>
        <translation>unbekannte Zeitzone &apos;%1&apos; (verwenden Sie einen IANA-Namen wie &quot;Europe/Berlin&quot;)</translation>
    </message>
    <message>
        <source>Saleshandy field &apos;%1&apos; is a %2 field; the mapping expects %3</source>
        <translation>Saleshandy-Feld &apos;%1&apos; ist ein Feld vom Typ %2; die Zuordnung erwartet %3</translation>
    </message>
    <message>
        <source>the rule has no target</source>
        <translation>die Regel hat kein Ziel</translation>
    </message>
    <message>
        <source>a %1 rule cannot write %2 (it can write: %3)</source>
        <translation>eine %1-Regel kann %2 nicht schreiben (sie kann schreiben: %3)</translation>
    </message>
    <message>
        <source>writes %1, which rule %2 already writes</source>
        <translation>schreibt %1, das schon Regel %2 schreibt</translation>
    </message>
    <message>
        <source>only contact rules can write Email</source>
        <translation>nur Kontaktregeln können Email schreiben</translation>
    </message>
    <message>
        <source>Saleshandy has no field %1 and the mapping does not create it%2</source>
        <translation>Saleshandy hat kein Feld %1, und die Zuordnung legt es nicht an%2</translation>
    </message>
    <message>
        <source>%1 is not a Saleshandy system field and the mapping does not create it; make sure the account has it%2</source>
        <translation>%1 ist kein Saleshandy-Systemfeld, und die Zuordnung legt es nicht an; stellen Sie sicher, dass das Konto es hat%2</translation>
    </message>
    <message>
        <source>writes Saleshandy field %1, which %2 rule %3 already writes</source>
        <translation>schreibt das Saleshandy-Feld %1, das schon %2-Regel %3 schreibt</translation>
    </message>
    <message>
        <source>transform %1 (%2): %3%4</source>
        <translation>Umwandlung %1 (%2): %3%4</translation>
    </message>
    <message>
        <source>the rule has no source (name a GHL field, or give a constant or a default)</source>
        <translation>die Regel hat keine Quelle (nennen Sie ein GHL-Feld oder geben Sie eine Konstante oder eine Vorgabe an)</translation>
    </message>
    <message>
        <source>Saleshandy date field %1 gets dates formatted as &apos;%2&apos;; it expects yyyy-MM-dd</source>
        <translation>Saleshandy-Datumsfeld %1 erhält Datumsangaben im Format &apos;%2&apos;; es erwartet yyyy-MM-dd</translation>
    </message>
    <message>
        <source>a formatted date cannot go into Saleshandy %1 field %2</source>
        <translation>ein formatiertes Datum passt nicht in das Saleshandy-Feld %2 vom Typ %1</translation>
    </message>
    <message>
        <source>%1 is not a Saleshandy task type (e.g. &quot;9&quot; Custom, &quot;13&quot; Call follow-up)</source>
        <translation>%1 ist kein Saleshandy-Aufgabentyp (z. B. &quot;9&quot; Custom, &quot;13&quot; Call follow-up)</translation>
    </message>
    <message>
        <source>the note rules write no content, which a Saleshandy note needs</source>
        <translation>die Notizregeln schreiben keinen Inhalt, den eine Saleshandy-Notiz aber braucht</translation>
    </message>
    <message>
        <source>null</source>
        <translation>null</translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation>ein Wahrheitswert</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>eine Zahl</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>eine Zeichenkette</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>ein Array</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>ein Objekt</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>a rule must be an object with a source and a target (found %1)</source>
        <translation>eine Regel muss ein Objekt mit Quelle und Ziel sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <source>give either &quot;transform&quot; or &quot;transforms&quot;, not both</source>
        <translation>geben Sie entweder &quot;transform&quot; oder &quot;transforms&quot; an, nicht beides</translation>
    </message>
    <message>
        <source>must be an array of transforms (found %1)</source>
        <translation>muss ein Array von Umwandlungen sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>missing (name a GHL field, or give a constant transform or a default)</source>
        <translation>fehlt (nennen Sie ein GHL-Feld oder geben Sie eine Konstanten-Umwandlung oder eine Vorgabe an)</translation>
    </message>
    <message>
        <source>must not be empty (name a GHL field, or give a constant transform or a default)</source>
        <translation>darf nicht leer sein (nennen Sie ein GHL-Feld oder geben Sie eine Konstanten-Umwandlung oder eine Vorgabe an)</translation>
    </message>
    <message>
        <source>must be an object with a label and a fieldType (found %1)</source>
        <translation>muss ein Objekt mit label und fieldType sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>unknown Saleshandy field type &apos;%1&apos; (known: text, number, date, long-text, dropdown, currency)</source>
        <translation>unbekannter Saleshandy-Feldtyp &apos;%1&apos; (bekannt: text, number, date, long-text, dropdown, currency)</translation>
    </message>
    <message>
        <source>Saleshandy allows at most 50 options (found %1)</source>
        <translation>Saleshandy erlaubt höchstens 50 Optionen (gefunden: %1)</translation>
    </message>
    <message>
        <source>GHL LARGE_TEXT %1 into %2: values longer than the field&apos;s limit are cut, with a warning per record (a long-text field fits better)</source>
        <translation>GHL LARGE_TEXT %1 in %2: Werte, die länger als das Feldlimit sind, werden gekürzt, mit einer Warnung je Datensatz (ein long-text-Feld passt besser)</translation>
    </message>
    <message>
        <source>a value of %1 that cannot be converted makes the whole prospect invalid, so it is not sent at all (&quot;keep&quot; sends the value as GHL has it, with a warning)</source>
        <translation>ein nicht umwandelbarer Wert von %1 macht den ganzen Interessenten ungültig, sodass er gar nicht gesendet wird (&quot;keep&quot; sendet den Wert wie in GHL, mit einer Warnung)</translation>
    </message>
    <message>
        <source> (an unconfirmed default; change it in the mapping)</source>
        <translation> (eine unbestätigte Vorgabe; ändern Sie sie in der Zuordnung)</translation>
    </message>
    <message>
        <source>unknown value &apos;%1&apos; (known: keep, leave, empty, invalid)</source>
        <translation>unbekannter Wert &apos;%1&apos; (bekannt: keep, leave, empty, invalid)</translation>
    </message>
    <message>
        <source>must be an object (found %1)</source>
        <translation>muss ein Objekt sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an ISO 3166-1 alpha-2 country code (e.g. &quot;DE&quot;, &quot;US&quot;; empty for none)</source>
        <translation>&apos;%1&apos; ist kein Ländercode nach ISO 3166-1 alpha-2 (z. B. &quot;DE&quot;, &quot;US&quot;; leer für keinen)</translation>
    </message>
    <message>
        <source>must be an object of Saleshandy field label → most characters (found %1)</source>
        <translation>muss ein Objekt aus Saleshandy-Feldlabel → maximale Zeichenzahl sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>a field label must not be empty</source>
        <translation>ein Feldlabel darf nicht leer sein</translation>
    </message>
    <message>
        <source>must be a whole number of at least 1 (found %1)</source>
        <translation>muss eine ganze Zahl von mindestens 1 sein (gefunden: %1)</translation>
    </message>
</context>
<context>
    <name>lb::ApiError</name>
    <message>
        <source>request %1</source>
        <translation>Anfrage %1</translation>
    </message>
    <message>
        <source>trace %1</source>
        <translation>Trace %1</translation>
    </message>
</context>
<context>
    <name>lb::ApiRequest</name>
    <message>
        <source>The request to %1 was cancelled.</source>
        <translation>Die Anfrage an %1 wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The daily %1 request budget is spent; nothing more can be sent until it resets.</source>
        <translation>Das tägliche Anfragebudget für %1 ist aufgebraucht; bis es zurückgesetzt wird, kann nichts mehr gesendet werden.</translation>
    </message>
    <message>
        <source>%1 could not be reached at %2. Check the network connection and the service address.</source>
        <translation>%1 war unter %2 nicht erreichbar. Prüfen Sie die Netzwerkverbindung und die Dienstadresse.</translation>
    </message>
    <message>
        <source>the JSON is invalid at byte %1 (%2)</source>
        <translation>das JSON ist bei Byte %1 ungültig (%2)</translation>
    </message>
    <message>
        <source>%1 kept refusing requests as over its rate limit; gave up after %2 waits.</source>
        <translation>%1 hat Anfragen wiederholt wegen Überschreitung des Ratenlimits abgelehnt; nach %2 Wartezeiten aufgegeben.</translation>
    </message>
    <message>
        <source>%1 refused the credentials (HTTP 401). Check the token or API key, or connect again.</source>
        <translation>%1 hat die Zugangsdaten abgelehnt (HTTP 401). Prüfen Sie das Token oder den API-Schlüssel, oder verbinden Sie sich erneut.</translation>
    </message>
    <message>
        <source>%1 refused access (HTTP 403). The token may lack a permission this needs.</source>
        <translation>%1 hat den Zugriff verweigert (HTTP 403). Dem Token fehlt möglicherweise eine dafür nötige Berechtigung.</translation>
    </message>
    <message>
        <source>%1 has no such record (%2).</source>
        <translation>%1 hat keinen solchen Datensatz (%2).</translation>
    </message>
    <message>
        <source>%1 rejected a value in the request.</source>
        <translation>%1 hat einen Wert in der Anfrage abgelehnt.</translation>
    </message>
    <message>
        <source>%1 rejected a value: %2</source>
        <translation>%1 hat einen Wert abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1 rejected the request %2 (HTTP %3).</source>
        <translation>%1 hat die Anfrage %2 abgelehnt (HTTP %3).</translation>
    </message>
    <message>
        <source>the call expects a JSON answer</source>
        <translation>der Aufruf erwartet eine JSON-Antwort</translation>
    </message>
    <message>
        <source>It was not repeated, because %1 may have carried it out.</source>
        <translation>Die Anfrage wurde nicht wiederholt, weil %1 sie möglicherweise schon ausgeführt hat.</translation>
    </message>
    <message>
        <source>%1 did not answer %2 within %3 seconds (%4).</source>
        <translation>%1 hat auf %2 nicht innerhalb von %3 Sekunden geantwortet (%4).</translation>
    </message>
    <message>
        <source>The answer of %1 to %2 was cut off (%3).</source>
        <translation>Die Antwort von %1 auf %2 wurde abgeschnitten (%3).</translation>
    </message>
    <message>
        <source>%1 closed the connection without answering %2 (%3).</source>
        <translation>%1 hat die Verbindung geschlossen, ohne auf %2 zu antworten (%3).</translation>
    </message>
    <message>
        <source>The service or the network may be overloaded; try again later.</source>
        <translation>Der Dienst oder das Netzwerk ist möglicherweise überlastet; versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>one attempt</source>
        <translation>ein Versuch</translation>
    </message>
    <message>
        <source>%1 attempts</source>
        <translation>%1 Versuche</translation>
    </message>
    <message>
        <source>%1 sent an answer to %2 that LeadBridge could not read (%3): %4.</source>
        <translation>%1 hat auf %2 eine Antwort gesendet, die LeadBridge nicht lesen konnte (%3): %4.</translation>
    </message>
    <message>
        <source>%1 had a problem of its own (HTTP %2) and did not recover after %3.</source>
        <translation>%1 hatte ein internes Problem (HTTP %2) und hat sich nicht wieder erholt (%3).</translation>
    </message>
    <message>
        <source>%1 had a problem of its own (HTTP %2) with %3. It was not repeated, because %1 may have carried it out.</source>
        <translation>%1 hatte ein internes Problem (HTTP %2) bei %3. Die Anfrage wurde nicht wiederholt, weil %1 sie möglicherweise schon ausgeführt hat.</translation>
    </message>
</context>
<context>
    <name>lb::ContactService</name>
    <message>
        <source>Creating the contact</source>
        <translation>Das Anlegen des Kontakts</translation>
    </message>
    <message>
        <source>Saving the contact</source>
        <translation>Das Speichern des Kontakts</translation>
    </message>
    <message>
        <source>Deleting the contact</source>
        <translation>Das Löschen des Kontakts</translation>
    </message>
    <message>
        <source>Adding the tag</source>
        <translation>Das Hinzufügen des Tags</translation>
    </message>
    <message>
        <source>Removing the tag</source>
        <translation>Das Entfernen des Tags</translation>
    </message>
    <message>
        <source>Creating the task</source>
        <translation>Das Anlegen der Aufgabe</translation>
    </message>
    <message>
        <source>Saving the task</source>
        <translation>Das Speichern der Aufgabe</translation>
    </message>
    <message>
        <source>Changing the task&apos;s state</source>
        <translation>Das Ändern des Aufgabenstatus</translation>
    </message>
    <message>
        <source>Deleting the task</source>
        <translation>Das Löschen der Aufgabe</translation>
    </message>
    <message>
        <source>Adding the note</source>
        <translation>Das Hinzufügen der Notiz</translation>
    </message>
    <message>
        <source>Saving the note</source>
        <translation>Das Speichern der Notiz</translation>
    </message>
    <message>
        <source>Deleting the note</source>
        <translation>Das Löschen der Notiz</translation>
    </message>
    <message>
        <source>Refreshing the contact from GHL</source>
        <translation>Das Aktualisieren des Kontakts aus GHL</translation>
    </message>
    <message>
        <source>Reading the custom field names from GHL</source>
        <translation>Das Lesen der benutzerdefinierten Feldnamen aus GHL</translation>
    </message>
    <message>
        <source>Refreshing all contacts from GHL</source>
        <translation>Das Aktualisieren aller Kontakte aus GHL</translation>
    </message>
    <message>
        <source>GHL accepted the change, but the local database could not record it (%1). The next refresh will bring it in.</source>
        <translation>GHL hat die Änderung angenommen, aber die lokale Datenbank konnte sie nicht speichern (%1). Die nächste Aktualisierung holt sie nach.</translation>
    </message>
</context>
<context>
    <name>lb::ContactStore</name>
    <message>
        <source>The local database could not prepare a query</source>
        <translation>Die lokale Datenbank konnte eine Abfrage nicht vorbereiten</translation>
    </message>
    <message>
        <source>The local database could not read or update records</source>
        <translation>Die lokale Datenbank konnte Datensätze nicht lesen oder aktualisieren</translation>
    </message>
    <message>
        <source>Could not save the contact %1</source>
        <translation>Der Kontakt %1 konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>A contact without an id cannot be stored; nothing of this page was saved.</source>
        <translation>Ein Kontakt ohne ID kann nicht gespeichert werden; von dieser Seite wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>Could not start writing to the local database</source>
        <translation>Das Schreiben in die lokale Datenbank konnte nicht begonnen werden</translation>
    </message>
    <message>
        <source>Could not save the task %1 of the contact %2</source>
        <translation>Die Aufgabe %1 des Kontakts %2 konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not save the note %1 of the contact %2</source>
        <translation>Die Notiz %1 des Kontakts %2 konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not save the appointment %1 of the contact %2</source>
        <translation>Der Termin %1 des Kontakts %2 konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not save where the pull of location %1 stands</source>
        <translation>Der Stand des Abrufs von Standort %1 konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not commit the pulled contacts to the local database</source>
        <translation>Die abgerufenen Kontakte konnten nicht in die lokale Datenbank übernommen werden</translation>
    </message>
    <message>
        <source>Cannot remove the contacts missed by a full pull without the id of that pull.</source>
        <translation>Die Kontakte, die bei einem vollständigen Abruf gefehlt haben, können ohne die ID dieses Abrufs nicht entfernt werden.</translation>
    </message>
    <message>
        <source>Could not remove the contacts deleted in GHL from the local database</source>
        <translation>Die in GHL gelöschten Kontakte konnten nicht aus der lokalen Datenbank entfernt werden</translation>
    </message>
    <message>
        <source>Could not read where the pull of location %1 stands</source>
        <translation>Der Stand des Abrufs von Standort %1 konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not save the custom field definitions of location %1</source>
        <translation>Die Definitionen der benutzerdefinierten Felder von Standort %1 konnten nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not read the custom field definitions of location %1</source>
        <translation>Die Definitionen der benutzerdefinierten Felder von Standort %1 konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the contacts from the local database</source>
        <translation>Die Kontakte konnten nicht aus der lokalen Datenbank gelesen werden</translation>
    </message>
    <message>
        <source>Could not count the contacts in the local database</source>
        <translation>Die Kontakte in der lokalen Datenbank konnten nicht gezählt werden</translation>
    </message>
    <message>
        <source>Could not read the contact %1 from the local database</source>
        <translation>Der Kontakt %1 konnte nicht aus der lokalen Datenbank gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the tasks of the contact %1</source>
        <translation>Die Aufgaben des Kontakts %1 konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the notes of the contact %1</source>
        <translation>Die Notizen des Kontakts %1 konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the appointments of the contact %1</source>
        <translation>Die Termine des Kontakts %1 konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>A contact without an id cannot be stored.</source>
        <translation>Ein Kontakt ohne ID kann nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>Could not remove the contact %1 from the local database</source>
        <translation>Der Kontakt %1 konnte nicht aus der lokalen Datenbank entfernt werden</translation>
    </message>
    <message>
        <source>Could not remove the task %1 from the local database</source>
        <translation>Die Aufgabe %1 konnte nicht aus der lokalen Datenbank entfernt werden</translation>
    </message>
    <message>
        <source>Could not remove the note %1 from the local database</source>
        <translation>Die Notiz %1 konnte nicht aus der lokalen Datenbank entfernt werden</translation>
    </message>
    <message>
        <source>Could not remove the appointment %1 from the local database</source>
        <translation>Der Termin %1 konnte nicht aus der lokalen Datenbank entfernt werden</translation>
    </message>
    <message>
        <source>Could not save the custom field values of the contact %1</source>
        <translation>Die Werte der benutzerdefinierten Felder des Kontakts %1 konnten nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not replace the tasks, notes and appointments of the contact %1</source>
        <translation>Die Aufgaben, Notizen und Termine des Kontakts %1 konnten nicht ersetzt werden</translation>
    </message>
    <message>
        <source>Could not read the tasks, notes and appointments of the contacts</source>
        <translation>Die Aufgaben, Notizen und Termine der Kontakte konnten nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>lb::CredentialStore</name>
    <message>
        <source>GHL token</source>
        <translation>GHL-Token</translation>
    </message>
    <message>
        <source>GHL sign-in</source>
        <translation>GHL-Anmeldung</translation>
    </message>
    <message>
        <source>Saleshandy API key</source>
        <translation>Saleshandy-API-Schlüssel</translation>
    </message>
    <message>
        <source>No %1 is saved for profile “%2”. Save one in LeadBridge or with “leadbridge-cli credentials set %3 --profile %2”, or set %4.</source>
        <translation>%1: Für das Profil „%2“ ist nichts gespeichert. Speichern Sie den Wert in LeadBridge oder mit „leadbridge-cli credentials set %3 --profile %2“, oder setzen Sie %4.</translation>
    </message>
    <message>
        <source>No keychain service is running. Install and start gnome-keyring (or KWallet), or set %1 for servers and CI.</source>
        <translation>Es läuft kein Schlüsselbund-Dienst. Installieren und starten Sie gnome-keyring (oder KWallet), oder setzen Sie %1 für Server und CI.</translation>
    </message>
    <message>
        <source>The keychain cannot be reached because there is no D-Bus session. Run LeadBridge in a desktop session (or under dbus-run-session with gnome-keyring started), or set %1 for servers and CI.</source>
        <translation>Der Schlüsselbund ist nicht erreichbar, weil es keine D-Bus-Sitzung gibt. Starten Sie LeadBridge in einer Desktop-Sitzung (oder unter dbus-run-session mit gestartetem gnome-keyring), oder setzen Sie %1 für Server und CI.</translation>
    </message>
    <message>
        <source>The keychain is locked. Unlock it (log in to the desktop, or run “gnome-keyring-daemon --unlock”) and try again, or set %1 for servers and CI.</source>
        <translation>Der Schlüsselbund ist gesperrt. Entsperren Sie ihn (am Desktop anmelden oder „gnome-keyring-daemon --unlock“ ausführen) und versuchen Sie es erneut, oder setzen Sie %1 für Server und CI.</translation>
    </message>
    <message>
        <source>The keychain did not answer in time. It may be waiting for you to unlock it; otherwise check that gnome-keyring (or KWallet) is running, or set %1 for servers and CI.</source>
        <translation>Der Schlüsselbund hat nicht rechtzeitig geantwortet. Vielleicht wartet er darauf, dass Sie ihn entsperren; prüfen Sie sonst, ob gnome-keyring (oder KWallet) läuft, oder setzen Sie %1 für Server und CI.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied. Allow LeadBridge when the keychain asks, or set %1 for servers and CI.</source>
        <translation>Der Zugriff auf den Schlüsselbund wurde verweigert. Erlauben Sie LeadBridge den Zugriff, wenn der Schlüsselbund fragt, oder setzen Sie %1 für Server und CI.</translation>
    </message>
    <message>
        <source>Could not read the %1 from the keychain: %2</source>
        <translation>Lesen aus dem Schlüsselbund fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>Could not save the %1 in the keychain: %2</source>
        <translation>Speichern im Schlüsselbund fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>Could not remove the %1 from the keychain: %2</source>
        <translation>Entfernen aus dem Schlüsselbund fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>“%1” is not a valid profile name: use a name that is not empty and has no “/”.</source>
        <translation>„%1“ ist kein gültiger Profilname: Verwenden Sie einen nicht leeren Namen ohne „/“.</translation>
    </message>
    <message>
        <source>The %1 to save is empty. To remove a saved one, forget it instead.</source>
        <translation>%1: Der zu speichernde Wert ist leer. Um einen gespeicherten Wert zu entfernen, löschen Sie ihn stattdessen.</translation>
    </message>
    <message>
        <source>Read from the environment variable %1.</source>
        <translation>Aus der Umgebungsvariable %1 gelesen.</translation>
    </message>
</context>
<context>
    <name>lb::Database</name>
    <message>
        <source>SQLite support is missing from this installation (Qt&apos;s QSQLITE driver); install the package libqt6sql6-sqlite.</source>
        <translation>Dieser Installation fehlt die SQLite-Unterstützung (Qt-Treiber QSQLITE); installieren Sie das Paket libqt6sql6-sqlite.</translation>
    </message>
    <message>
        <source>Could not create the folder %1 for the local database.</source>
        <translation>Der Ordner %1 für die lokale Datenbank konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Could not open the local database %1: %2.</source>
        <translation>Die lokale Datenbank %1 konnte nicht geöffnet werden: %2.</translation>
    </message>
    <message>
        <source>The file %1 is not a usable SQLite database (%2). Choose another file or move this one away.</source>
        <translation>Die Datei %1 ist keine verwendbare SQLite-Datenbank (%2). Wählen Sie eine andere Datei, oder verschieben Sie diese.</translation>
    </message>
    <message>
        <source>The database address %1 is not a valid PostgreSQL URL; expected postgresql://user:password@host:port/database.</source>
        <translation>Die Datenbankadresse %1 ist keine gültige PostgreSQL-URL; erwartet wird postgresql://user:password@host:port/database.</translation>
    </message>
    <message>
        <source>PostgreSQL support is missing from this installation (Qt&apos;s QPSQL driver); install the package libqt6sql6-psql.</source>
        <translation>Dieser Installation fehlt die PostgreSQL-Unterstützung (Qt-Treiber QPSQL); installieren Sie das Paket libqt6sql6-psql.</translation>
    </message>
    <message>
        <source>The database address %1 has an unknown parameter &quot;%2&quot;.</source>
        <translation>Die Datenbankadresse %1 enthält einen unbekannten Parameter &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>The schema name &quot;%1&quot; in the database address is not valid: use letters, digits and underscores.</source>
        <translation>Der Schemaname &quot;%1&quot; in der Datenbankadresse ist ungültig: Verwenden Sie Buchstaben, Ziffern und Unterstriche.</translation>
    </message>
    <message>
        <source>Could not connect to the PostgreSQL database %1: %2.</source>
        <translation>Keine Verbindung zur PostgreSQL-Datenbank %1 möglich: %2.</translation>
    </message>
    <message>
        <source>Could not prepare the PostgreSQL database %1: %2.</source>
        <translation>Die PostgreSQL-Datenbank %1 konnte nicht vorbereitet werden: %2.</translation>
    </message>
    <message>
        <source>Could not start updating the database %1: %2.</source>
        <translation>Die Aktualisierung der Datenbank %1 konnte nicht begonnen werden: %2.</translation>
    </message>
    <message>
        <source>Could not lock the database %1 for its update: %2.</source>
        <translation>Die Datenbank %1 konnte für die Aktualisierung nicht gesperrt werden: %2.</translation>
    </message>
    <message>
        <source>Could not read the schema version of the database %1: %2.</source>
        <translation>Die Schemaversion der Datenbank %1 konnte nicht gelesen werden: %2.</translation>
    </message>
    <message>
        <source>The database %1 has schema version %2, but this LeadBridge knows schema version %3 at most: it was written by a newer LeadBridge. Update LeadBridge to open it.</source>
        <translation>Die Datenbank %1 hat die Schemaversion %2, dieses LeadBridge kennt aber höchstens Schemaversion %3: Sie wurde von einem neueren LeadBridge geschrieben. Aktualisieren Sie LeadBridge, um sie zu öffnen.</translation>
    </message>
    <message>
        <source>Could not finish checking the database %1: %2.</source>
        <translation>Die Prüfung der Datenbank %1 konnte nicht abgeschlossen werden: %2.</translation>
    </message>
    <message>
        <source>Could not update the database %1 to schema version %3: %2.</source>
        <translation>Die Datenbank %1 konnte nicht auf Schemaversion %3 aktualisiert werden: %2.</translation>
    </message>
    <message>
        <source>Could not record schema version %3 in the database %1: %2.</source>
        <translation>Die Schemaversion %3 konnte nicht in der Datenbank %1 vermerkt werden: %2.</translation>
    </message>
</context>
<context>
    <name>lb::GhlConnectionTest</name>
    <message>
        <source>Enter the location id and the token first.</source>
        <translation>Geben Sie zuerst die Standort-ID und das Token ein.</translation>
    </message>
    <message>
        <source>Connected: GHL accepted the token for location %1.</source>
        <translation>Verbunden: GHL hat das Token für Standort %1 angenommen.</translation>
    </message>
    <message>
        <source>GHL refused the token. Check that you copied all of it and that it has not been deleted or replaced in GHL.</source>
        <translation>GHL hat das Token abgelehnt. Prüfen Sie, ob Sie es vollständig kopiert haben und ob es in GHL nicht gelöscht oder ersetzt wurde.</translation>
    </message>
    <message>
        <source>GHL accepted the token but it may not read this location&apos;s contacts. Give it the contacts, locations and calendars scopes, or check the location id.</source>
        <translation>GHL hat das Token angenommen, aber es darf die Kontakte dieses Standorts nicht lesen. Geben Sie ihm die Berechtigungen für Kontakte, Standorte und Kalender, oder prüfen Sie die Standort-ID.</translation>
    </message>
    <message>
        <source>GHL does not know the location id %1. Copy it from the location&apos;s Settings → Business Profile page.</source>
        <translation>GHL kennt die Standort-ID %1 nicht. Kopieren Sie sie aus Einstellungen → Unternehmensprofil des Standorts.</translation>
    </message>
</context>
<context>
    <name>lb::GhlPull</name>
    <message>
        <source>The local store could not be read: %1</source>
        <translation>Der lokale Speicher konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Custom field definitions were not updated: %1</source>
        <translation>Die Definitionen der benutzerdefinierten Felder wurden nicht aktualisiert: %1</translation>
    </message>
    <message>
        <source>Custom field definitions could not be stored: %1</source>
        <translation>Die Definitionen der benutzerdefinierten Felder konnten nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>A contact on search page %1 was skipped: %2</source>
        <translation>Ein Kontakt auf Suchseite %1 wurde übersprungen: %2</translation>
    </message>
    <message>
        <source>Contact %1 disappeared while it was being read; the next pull will see.</source>
        <translation>Kontakt %1 ist verschwunden, während er gelesen wurde; der nächste Abruf wird es zeigen.</translation>
    </message>
    <message>
        <source>Contact %1 was left for the next pull: %2</source>
        <translation>Kontakt %1 wurde für den nächsten Abruf zurückgestellt: %2</translation>
    </message>
    <message>
        <source>The local store could not be written: %1</source>
        <translation>Der lokale Speicher konnte nicht beschrieben werden: %1</translation>
    </message>
    <message>
        <source>Contacts deleted in GHL could not be removed: %1</source>
        <translation>In GHL gelöschte Kontakte konnten nicht entfernt werden: %1</translation>
    </message>
    <message>
        <source>The pull cursor could not be saved: %1</source>
        <translation>Der Abrufstand konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>The pull was cancelled; what was read so far is kept and the next pull continues from there.</source>
        <translation>Der Abruf wurde abgebrochen; das bisher Gelesene bleibt erhalten, und der nächste Abruf setzt dort fort.</translation>
    </message>
    <message>
        <source>Contacts deleted in GHL were not removed this time, since some contacts could not be read; the next full pull removes them.</source>
        <translation>In GHL gelöschte Kontakte wurden diesmal nicht entfernt, da einige Kontakte nicht gelesen werden konnten; der nächste vollständige Abruf entfernt sie.</translation>
    </message>
</context>
<context>
    <name>lb::Mapper</name>
    <message>
        <source>no email</source>
        <translation>keine E-Mail</translation>
    </message>
    <message>
        <source>invalid email %1</source>
        <translation>ungültige E-Mail %1</translation>
    </message>
    <message>
        <source>%1 is not a Saleshandy task type; Custom (9) is used</source>
        <translation>%1 ist kein Saleshandy-Aufgabentyp; Custom (9) wird verwendet</translation>
    </message>
    <message>
        <source>%1; there is nothing to send as written, so Saleshandy keeps its value</source>
        <translation>%1; es gibt nichts, was wie geschrieben gesendet werden könnte, daher behält Saleshandy seinen Wert</translation>
    </message>
    <message>
        <source>%1; sent as written, cut to the %2 characters that the Saleshandy field takes%3</source>
        <translation>%1; wie geschrieben gesendet, gekürzt auf die %2 Zeichen, die das Saleshandy-Feld aufnimmt%3</translation>
    </message>
    <message>
        <source>%1; sent as written</source>
        <translation>%1; wie geschrieben gesendet</translation>
    </message>
    <message>
        <source>%1; not sent, so Saleshandy keeps its value</source>
        <translation>%1; nicht gesendet, daher behält Saleshandy seinen Wert</translation>
    </message>
    <message>
        <source>%1; sent empty, as the rule says</source>
        <translation>%1; leer gesendet, wie die Regel es vorsieht</translation>
    </message>
    <message>
        <source>%1: %2 characters, cut to the %3 that the Saleshandy field takes%4</source>
        <translation>%1: %2 Zeichen, gekürzt auf die %3, die das Saleshandy-Feld aufnimmt%4</translation>
    </message>
    <message>
        <source>%1: %2 characters, more than the %3 that the Saleshandy field takes%4</source>
        <translation>%1: %2 Zeichen, mehr als die %3, die das Saleshandy-Feld aufnimmt%4</translation>
    </message>
    <message>
        <source>%1; no due date sent, Saleshandy uses today</source>
        <translation>%1; kein Fälligkeitsdatum gesendet, Saleshandy verwendet das heutige Datum</translation>
    </message>
    <message>
        <source>%1; Custom (9) is used</source>
        <translation>%1; Custom (9) wird verwendet</translation>
    </message>
    <message>
        <source>%1; Saleshandy&apos;s default priority is used</source>
        <translation>%1; die Standardpriorität von Saleshandy wird verwendet</translation>
    </message>
    <message>
        <source>%1 is not a Saleshandy task priority (1 urgent … 4 low); Saleshandy&apos;s default priority is used</source>
        <translation>%1 ist keine Saleshandy-Aufgabenpriorität (1 dringend … 4 niedrig); die Standardpriorität von Saleshandy wird verwendet</translation>
    </message>
    <message>
        <source>%1; read as written</source>
        <translation>%1; wie geschrieben gelesen</translation>
    </message>
    <message>
        <source>the task note of %1 characters was cut to the %2 that a Saleshandy task note takes%3</source>
        <translation>die Aufgabennotiz mit %1 Zeichen wurde auf die %2 gekürzt, die eine Saleshandy-Aufgabennotiz aufnimmt%3</translation>
    </message>
    <message>
        <source>%1: %2; sent as written</source>
        <translation>%1: %2; wie geschrieben gesendet</translation>
    </message>
    <message>
        <source>note %1: the note is empty and is not sent</source>
        <translation>Notiz %1: Die Notiz ist leer und wird nicht gesendet</translation>
    </message>
    <message>
        <source>the note of %1 characters was cut to the %2 that a Saleshandy note takes%3</source>
        <translation>die Notiz mit %1 Zeichen wurde auf die %2 gekürzt, die eine Saleshandy-Notiz aufnimmt%3</translation>
    </message>
</context>
<context>
    <name>lb::MapperPlan</name>
    <message>
        <source>no date</source>
        <translation>kein Datum</translation>
    </message>
    <message>
        <source>%1 is not a date</source>
        <translation>%1 ist kein Datum</translation>
    </message>
    <message>
        <source>%1 is not a number</source>
        <translation>%1 ist keine Zahl</translation>
    </message>
    <message>
        <source>%1 is not one of the field&apos;s options (%2)</source>
        <translation>%1 ist keine der Optionen des Felds (%2)</translation>
    </message>
</context>
<context>
    <name>lb::Mapping</name>
    <message>
        <source>Default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>task %1: </source>
        <translation>Aufgabe %1: </translation>
    </message>
    <message>
        <source>note %1: </source>
        <translation>Notiz %1: </translation>
    </message>
</context>
<context>
    <name>lb::MappingFile</name>
    <message>
        <source>not JSON: %1 (at byte offset %2)</source>
        <translation>kein JSON: %1 (bei Byte-Offset %2)</translation>
    </message>
    <message>
        <source>a mapping file holds one JSON object (found %1)</source>
        <translation>eine Zuordnungsdatei enthält ein JSON-Objekt (gefunden: %1)</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>ein Array</translation>
    </message>
    <message>
        <source>a single value</source>
        <translation>ein Einzelwert</translation>
    </message>
    <message>
        <source>missing: is this a LeadBridge mapping file?</source>
        <translation>fehlt: Ist das eine LeadBridge-Zuordnungsdatei?</translation>
    </message>
    <message>
        <source>the file has format version %1, which a newer LeadBridge wrote; this one reads up to version %2: update LeadBridge to import it</source>
        <translation>die Datei hat die Formatversion %1, die ein neueres LeadBridge geschrieben hat; dieses liest bis Version %2: Aktualisieren Sie LeadBridge, um sie zu importieren</translation>
    </message>
    <message>
        <source>format version %1 does not exist (the first is 1)</source>
        <translation>Formatversion %1 gibt es nicht (die erste ist 1)</translation>
    </message>
    <message>
        <source>unknown time zone &apos;%1&apos; (use an IANA name such as &quot;Europe/Berlin&quot;)</source>
        <translation>unbekannte Zeitzone &apos;%1&apos; (verwenden Sie einen IANA-Namen wie &quot;Europe/Berlin&quot;)</translation>
    </message>
    <message>
        <source>missing: the rules per record kind (contact, task, note, appointment)</source>
        <translation>fehlt: die Regeln je Datensatzart (contact, task, note, appointment)</translation>
    </message>
    <message>
        <source>must be an object of record kind → list of rules (found %1)</source>
        <translation>muss ein Objekt aus Datensatzart → Liste von Regeln sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>unknown record kind &apos;%1&apos; (known: contact, task, note, appointment)</source>
        <translation>unbekannte Datensatzart &apos;%1&apos; (bekannt: contact, task, note, appointment)</translation>
    </message>
    <message>
        <source>must be a list of rules (found %1)</source>
        <translation>muss eine Liste von Regeln sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>must be a list of fields (found %1)</source>
        <translation>muss eine Liste von Feldern sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is listed twice</source>
        <translation>&apos;%1&apos; ist doppelt aufgeführt</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>lb::MappingFileError</name>
    <message>
        <source>line %1, column %2: %3</source>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
</context>
<context>
    <name>lb::MappingProblem</name>
    <message>
        <source>%1 rule %2: %3</source>
        <translation>%1-Regel %2: %3</translation>
    </message>
</context>
<context>
    <name>lb::Reader</name>
    <message>
        <source>unknown key (known here: %1)</source>
        <translation>unbekannter Schlüssel (hier bekannt: %1)</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>must be a string (found %1)</source>
        <translation>muss eine Zeichenkette sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>must be an array of strings (found %1)</source>
        <translation>muss ein Array von Zeichenketten sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>must be a whole number of at least 0 (found %1)</source>
        <translation>muss eine ganze Zahl von mindestens 0 sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>unknown value &apos;%1&apos; (known: %2)</source>
        <translation>unbekannter Wert &apos;%1&apos; (bekannt: %2)</translation>
    </message>
</context>
<context>
    <name>lb::SyncEngine</name>
    <message>
        <source>The mapping sends no GHL field to the Saleshandy field Email, which Saleshandy needs to identify a prospect. Map a field to Email and run again.</source>
        <translation>Die Zuordnung sendet kein GHL-Feld an das Saleshandy-Feld Email, das Saleshandy braucht, um einen Interessenten zu identifizieren. Ordnen Sie Email ein Feld zu, und starten Sie den Lauf erneut.</translation>
    </message>
    <message>
        <source>Another sync of location %1 is running (%2). Wait for it to finish, then run again.</source>
        <translation>Ein anderer Abgleich von Standort %1 läuft (%2). Warten Sie, bis er beendet ist, und starten Sie dann erneut.</translation>
    </message>
    <message>
        <source>Not read from GHL: %1</source>
        <translation>Nicht aus GHL gelesen: %1</translation>
    </message>
    <message>
        <source>The Saleshandy field &apos;%1&apos; (%2) would be created.</source>
        <translation>Das Saleshandy-Feld &apos;%1&apos; (%2) würde angelegt.</translation>
    </message>
    <message>
        <source>Created the Saleshandy field &apos;%1&apos; (%2), which the mapping needs.</source>
        <translation>Das Saleshandy-Feld &apos;%1&apos; (%2), das die Zuordnung braucht, wurde angelegt.</translation>
    </message>
    <message>
        <source>tags added: %1</source>
        <translation>Tags hinzugefügt: %1</translation>
    </message>
    <message>
        <source>tags removed: %1</source>
        <translation>Tags entfernt: %1</translation>
    </message>
    <message>
        <source>Saleshandy did not finish import %1 in time; the next run imports these prospects again.</source>
        <translation>Saleshandy hat Import %1 nicht rechtzeitig abgeschlossen; der nächste Lauf importiert diese Interessenten erneut.</translation>
    </message>
    <message>
        <source>Saleshandy did not accept every field of the prospect</source>
        <translation>Saleshandy hat nicht alle Felder des Interessenten angenommen</translation>
    </message>
    <message>
        <source>Saleshandy rejected the row: %1</source>
        <translation>Saleshandy hat die Zeile abgelehnt: %1</translation>
    </message>
    <message>
        <source>Imported, but Saleshandy has no prospect with the email %1</source>
        <translation>Importiert, aber Saleshandy hat keinen Interessenten mit der E-Mail %1</translation>
    </message>
    <message>
        <source>Tags %1 could not be removed: %2</source>
        <translation>Tags %1 konnten nicht entfernt werden: %2</translation>
    </message>
    <message>
        <source>its prospect was not written to Saleshandy in this run</source>
        <translation>der zugehörige Interessent wurde in diesem Lauf nicht in Saleshandy geschrieben</translation>
    </message>
    <message>
        <source>found in Saleshandy after an interrupted run</source>
        <translation>nach einem unterbrochenen Lauf in Saleshandy gefunden</translation>
    </message>
    <message>
        <source>deleted in GHL</source>
        <translation>in GHL gelöscht</translation>
    </message>
    <message>
        <source>Saleshandy answered without the id of the new record</source>
        <translation>Saleshandy hat ohne die ID des neuen Datensatzes geantwortet</translation>
    </message>
    <message>
        <source>The run was cancelled. What was confirmed is recorded; the next run finishes the rest.</source>
        <translation>Der Lauf wurde abgebrochen. Was bestätigt wurde, ist gespeichert; der nächste Lauf erledigt den Rest.</translation>
    </message>
    <message>
        <source>The tag &apos;%1&apos; could not be assigned: %2</source>
        <translation>Das Tag &apos;%1&apos; konnte nicht zugewiesen werden: %2</translation>
    </message>
    <message>
        <source>Another process took over the sync of location %1; this run stopped.</source>
        <translation>Ein anderer Prozess hat den Abgleich von Standort %1 übernommen; dieser Lauf wurde angehalten.</translation>
    </message>
    <message>
        <source>Saleshandy&apos;s field list could not be read, so nothing was written: %1 Run again when Saleshandy answers; if this persists, check the API key and Saleshandy&apos;s status.</source>
        <translation>Die Feldliste von Saleshandy konnte nicht gelesen werden, daher wurde nichts geschrieben: %1 Starten Sie erneut, wenn Saleshandy antwortet; falls das Problem bestehen bleibt, prüfen Sie den API-Schlüssel und den Status von Saleshandy.</translation>
    </message>
    <message>
        <source>The Saleshandy field &apos;%1&apos; that the mapping needs could not be created: %2 Create it in Saleshandy (type %3) or change the mapping, then run again.</source>
        <translation>Das Saleshandy-Feld &apos;%1&apos;, das die Zuordnung braucht, konnte nicht angelegt werden: %2 Legen Sie es in Saleshandy an (Typ %3), oder ändern Sie die Zuordnung, und starten Sie dann erneut.</translation>
    </message>
    <message>
        <source>The Saleshandy field &apos;%1&apos; that the mapping needs exists (found after: %2).</source>
        <translation>Das Saleshandy-Feld &apos;%1&apos;, das die Zuordnung braucht, ist vorhanden (gefunden nach: %2).</translation>
    </message>
    <message>
        <source>The Saleshandy field &apos;%1&apos; that the mapping needs could not be created after %2 attempts (%3). Nothing was written. Run again later, or create the field in Saleshandy (type %4).</source>
        <translation>Das Saleshandy-Feld &apos;%1&apos;, das die Zuordnung braucht, konnte nach %2 Versuchen nicht angelegt werden (%3). Es wurde nichts geschrieben. Starten Sie später erneut, oder legen Sie das Feld in Saleshandy an (Typ %4).</translation>
    </message>
    <message>
        <source>Another process took over the sync of location %1; this run stopped without writing.</source>
        <translation>Ein anderer Prozess hat den Abgleich von Standort %1 übernommen; dieser Lauf wurde ohne Schreiben angehalten.</translation>
    </message>
    <message numerus="yes">
        <source>would be created with %n field(s)</source>
        <translation>
            <numerusform>würde mit %n Feld angelegt</numerusform>
            <numerusform>würde mit %n Feldern angelegt</numerusform>
        </translation>
    </message>
    <message>
        <source>that prospect was not written in this run</source>
        <translation>dieser Interessent wurde in diesem Lauf nicht geschrieben</translation>
    </message>
    <message>
        <source>Deleted in GHL, but the tag &apos;%1&apos; could not be assigned: %2</source>
        <translation>In GHL gelöscht, aber das Tag &apos;%1&apos; konnte nicht zugewiesen werden: %2</translation>
    </message>
    <message>
        <source>deleted in GHL: the prospect is tagged %1</source>
        <translation>in GHL gelöscht: Der Interessent erhält das Tag %1</translation>
    </message>
    <message>
        <source>completed in GHL; skipped in Saleshandy, which cannot complete it now</source>
        <translation>in GHL erledigt; in Saleshandy übersprungen, da Saleshandy sie jetzt nicht erledigen kann</translation>
    </message>
    <message>
        <source>deleted in GHL; already completed in Saleshandy, so it stays completed</source>
        <translation>in GHL gelöscht; in Saleshandy bereits erledigt, daher bleibt sie erledigt</translation>
    </message>
    <message>
        <source>found in Saleshandy after an answer was lost (%1)</source>
        <translation>in Saleshandy gefunden, nachdem eine Antwort verloren ging (%1)</translation>
    </message>
    <message>
        <source>created, then completed (it is done in GHL)</source>
        <translation>angelegt, dann erledigt (in GHL ist sie erledigt)</translation>
    </message>
    <message>
        <source>deleted in GHL before its create was confirmed; Saleshandy does not have it</source>
        <translation>in GHL gelöscht, bevor das Anlegen bestätigt war; Saleshandy hat sie nicht</translation>
    </message>
</context>
<context>
    <name>lb::SyncPlanner</name>
    <message>
        <source>email changed from %1</source>
        <translation>E-Mail geändert von %1</translation>
    </message>
    <message>
        <source>its contact is not sent: %1</source>
        <translation>der zugehörige Kontakt wird nicht gesendet: %1</translation>
    </message>
    <message>
        <source>skipped in Saleshandy earlier</source>
        <translation>früher in Saleshandy übersprungen</translation>
    </message>
    <message>
        <source>reopened in GHL; Saleshandy cannot reopen a completed task</source>
        <translation>in GHL wieder geöffnet; Saleshandy kann eine erledigte Aufgabe nicht wieder öffnen</translation>
    </message>
    <message>
        <source>deleted in GHL</source>
        <translation>in GHL gelöscht</translation>
    </message>
    <message>
        <source>marked deleted in Saleshandy earlier</source>
        <translation>früher in Saleshandy als gelöscht markiert</translation>
    </message>
    <message>
        <source>deleted in GHL: marked &quot;[Deleted in GHL]&quot; in Saleshandy</source>
        <translation>in GHL gelöscht: in Saleshandy mit &quot;[In GHL gelöscht]&quot; markiert</translation>
    </message>
    <message>
        <source>deleted in GHL; Saleshandy cannot delete notes, so it is left as it is</source>
        <translation>in GHL gelöscht; Saleshandy kann keine Notizen löschen, daher bleibt sie unverändert</translation>
    </message>
    <message>
        <source>shares the email %1 with %2; its fields come from the oldest contact, this one</source>
        <translation>teilt die E-Mail %1 mit %2; die Felder stammen vom ältesten Kontakt, diesem hier</translation>
    </message>
    <message>
        <source>shares the email %1 with %2; its fields come from the most recently updated contact, this one</source>
        <translation>teilt die E-Mail %1 mit %2; die Felder stammen vom zuletzt aktualisierten Kontakt, diesem hier</translation>
    </message>
    <message>
        <source>shares the email %1 with %2 (%3): one prospect, which has this contact&apos;s tasks, notes and tags</source>
        <translation>teilt die E-Mail %1 mit %2 (%3): ein gemeinsamer Interessent mit den Aufgaben, Notizen und Tags dieses Kontakts</translation>
    </message>
    <message>
        <source>deleted in GHL: the prospect is tagged %1</source>
        <translation>in GHL gelöscht: Der Interessent erhält das Tag %1</translation>
    </message>
    <message>
        <source>deleted in GHL: the prospect is left as it is (setting)</source>
        <translation>in GHL gelöscht: Der Interessent bleibt unverändert (Einstellung)</translation>
    </message>
    <message>
        <source>deleted in GHL; its prospect is tagged for another deleted contact</source>
        <translation>in GHL gelöscht; der Interessent erhält das Tag bereits für einen anderen gelöschten Kontakt</translation>
    </message>
    <message>
        <source>deleted in GHL; its prospect stays with contact %1</source>
        <translation>in GHL gelöscht; der Interessent bleibt bei Kontakt %1</translation>
    </message>
</context>
<context>
    <name>lb::SyncService</name>
    <message>
        <source>No contact rule writes the Saleshandy field Email. Saleshandy identifies prospects by email: map a GHL field (usually “email”) to Email on the Mapping page.</source>
        <translation>Keine Kontaktregel schreibt das Saleshandy-Feld Email. Saleshandy erkennt Interessenten an der E-Mail: Ordnen Sie auf der Seite Zuordnung ein GHL-Feld (meist „email“) Email zu.</translation>
    </message>
    <message>
        <source>A sync run is already in progress.</source>
        <translation>Es läuft bereits eine Synchronisierung.</translation>
    </message>
    <message>
        <source>The mapping cannot run: %1</source>
        <translation>Die Zuordnung kann nicht laufen: %1</translation>
    </message>
    <message>
        <source>Run %1 has no failed records to retry.</source>
        <translation>Lauf %1 hat keine fehlgeschlagenen Datensätze zum erneuten Senden.</translation>
    </message>
    <message>
        <source>The Saleshandy fields could not be read: %1</source>
        <translation>Die Saleshandy-Felder konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The field “%1” could not be created in Saleshandy: %2</source>
        <translation>Das Feld „%1“ konnte in Saleshandy nicht angelegt werden: %2</translation>
    </message>
</context>
<context>
    <name>lb::SyncStore</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>A transaction could not be started: %1</source>
        <translation>Eine Transaktion konnte nicht begonnen werden: %1</translation>
    </message>
    <message>
        <source>A transaction could not be committed: %1</source>
        <translation>Eine Transaktion konnte nicht abgeschlossen werden: %1</translation>
    </message>
    <message>
        <source>The sync lock could not be read</source>
        <translation>Die Synchronisierungssperre konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>The sync lock could not be taken</source>
        <translation>Die Synchronisierungssperre konnte nicht gesetzt werden</translation>
    </message>
    <message>
        <source>The sync lock could not be renewed</source>
        <translation>Die Synchronisierungssperre konnte nicht erneuert werden</translation>
    </message>
    <message>
        <source>The sync lock could not be released</source>
        <translation>Die Synchronisierungssperre konnte nicht freigegeben werden</translation>
    </message>
    <message>
        <source>Earlier runs could not be closed</source>
        <translation>Frühere Läufe konnten nicht abgeschlossen werden</translation>
    </message>
    <message>
        <source>A run number could not be chosen</source>
        <translation>Es konnte keine Laufnummer vergeben werden</translation>
    </message>
    <message>
        <source>The run could not be recorded</source>
        <translation>Der Lauf konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The end of the run could not be recorded</source>
        <translation>Das Ende des Laufs konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The run could not be read</source>
        <translation>Der Lauf konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>The runs could not be read</source>
        <translation>Die Läufe konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>A sync event could not be recorded</source>
        <translation>Ein Synchronisierungsereignis konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The sync events could not be read</source>
        <translation>Die Synchronisierungsereignisse konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>The sync events could not be counted</source>
        <translation>Die Synchronisierungsereignisse konnten nicht gezählt werden</translation>
    </message>
    <message>
        <source>The prospects written before could not be read</source>
        <translation>Die zuvor geschriebenen Interessenten konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>The state of a prospect could not be saved</source>
        <translation>Der Zustand eines Interessenten konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The records written before could not be read</source>
        <translation>Die zuvor geschriebenen Datensätze konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>The state of a task or note could not be saved</source>
        <translation>Der Zustand einer Aufgabe oder Notiz konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The failed records could not be read</source>
        <translation>Die fehlgeschlagenen Datensätze konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>A failed record could not be saved</source>
        <translation>Ein fehlgeschlagener Datensatz konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The failed records of run %1 could not be read</source>
        <translation>Die fehlgeschlagenen Datensätze von Lauf %1 konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>A failed record could not be cleared</source>
        <translation>Ein fehlgeschlagener Datensatz konnte nicht zurückgesetzt werden</translation>
    </message>
    <message>
        <source>A mapping revision number could not be chosen</source>
        <translation>Es konnte keine Versionsnummer für die Zuordnung vergeben werden</translation>
    </message>
    <message>
        <source>The mapping could not be saved</source>
        <translation>Die Zuordnung konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The saved mapping could not be read</source>
        <translation>Die gespeicherte Zuordnung konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>The saved mappings could not be read</source>
        <translation>Die gespeicherten Zuordnungen konnten nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>lb::TargetLookup</name>
    <message>
        <source> (did you mean &apos;%1&apos;?)</source>
        <translation> (meinten Sie &apos;%1&apos;?)</translation>
    </message>
</context>
<context>
    <name>lb::Transform</name>
    <message>
        <source>unknown locale &apos;%1&apos; (use a code such as &quot;tr&quot; or &quot;de_DE&quot;)</source>
        <translation>unbekanntes Gebietsschema &apos;%1&apos; (verwenden Sie einen Code wie &quot;tr&quot; oder &quot;de_DE&quot;)</translation>
    </message>
    <message>
        <source>the separator must not be empty</source>
        <translation>das Trennzeichen darf nicht leer sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a country calling code (e.g. &quot;1&quot;, &quot;44&quot;, &quot;+49&quot;)</source>
        <translation>&apos;%1&apos; ist keine Ländervorwahl (z. B. &quot;1&quot;, &quot;44&quot;, &quot;+49&quot;)</translation>
    </message>
    <message>
        <source>the date format must not be empty</source>
        <translation>das Datumsformat darf nicht leer sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no date or time field (use yyyy, MM, dd, HH, mm, ss, or &quot;iso&quot;, &quot;yyyy-MM-dd&quot;, &quot;epoch-ms&quot;)</source>
        <translation>&apos;%1&apos; enthält kein Datums- oder Zeitfeld (verwenden Sie yyyy, MM, dd, HH, mm, ss oder &quot;iso&quot;, &quot;yyyy-MM-dd&quot;, &quot;epoch-ms&quot;)</translation>
    </message>
    <message>
        <source>unknown time zone &apos;%1&apos; (use an IANA name such as &quot;Europe/Berlin&quot;)</source>
        <translation>unbekannte Zeitzone &apos;%1&apos; (verwenden Sie einen IANA-Namen wie &quot;Europe/Berlin&quot;)</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>muss mindestens 1 sein</translation>
    </message>
    <message>
        <source>the suffix must be shorter than max (%1)</source>
        <translation>das Suffix muss kürzer als max (%1) sein</translation>
    </message>
    <message>
        <source>the table is empty</source>
        <translation>die Tabelle ist leer</translation>
    </message>
    <message>
        <source>the keys &apos;%1&apos; and &apos;%2&apos; differ only in case or spaces (set &quot;caseSensitive&quot;: true to keep both)</source>
        <translation>die Schlüssel &apos;%1&apos; und &apos;%2&apos; unterscheiden sich nur in Groß-/Kleinschreibung oder Leerzeichen (setzen Sie &quot;caseSensitive&quot;: true, um beide zu behalten)</translation>
    </message>
    <message>
        <source>a transform must be an object with a &quot;name&quot; (found %1)</source>
        <translation>eine Umwandlung muss ein Objekt mit &quot;name&quot; sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>missing: every transform needs a name</source>
        <translation>fehlt: Jede Umwandlung braucht einen Namen</translation>
    </message>
    <message>
        <source>must be a string (found %1)</source>
        <translation>muss eine Zeichenkette sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>unknown transform &apos;%1&apos; (known: %2)</source>
        <translation>unbekannte Umwandlung &apos;%1&apos; (bekannt: %2)</translation>
    </message>
    <message>
        <source>unknown parameter: &apos;%1&apos; takes none</source>
        <translation>unbekannter Parameter: &apos;%1&apos; hat keine Parameter</translation>
    </message>
    <message>
        <source>unknown parameter for &apos;%1&apos; (it takes: %2)</source>
        <translation>unbekannter Parameter für &apos;%1&apos; (erlaubt: %2)</translation>
    </message>
    <message>
        <source>missing: &apos;%1&apos; needs it</source>
        <translation>fehlt: &apos;%1&apos; braucht ihn</translation>
    </message>
    <message>
        <source>must be a whole number of characters (found %1)</source>
        <translation>muss eine ganze Zahl von Zeichen sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>must be an object of value → replacement (found %1)</source>
        <translation>muss ein Objekt aus Wert → Ersatz sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>must be &quot;keep&quot;, &quot;empty&quot; or &quot;reject&quot; (found &apos;%1&apos;)</source>
        <translation>muss &quot;keep&quot;, &quot;empty&quot; oder &quot;reject&quot; sein (gefunden: &apos;%1&apos;)</translation>
    </message>
    <message>
        <source>must be true or false (found %1)</source>
        <translation>muss true oder false sein (gefunden: %1)</translation>
    </message>
    <message>
        <source>%1 is not one of the values the mapping table knows</source>
        <translation>%1 ist keiner der Werte, die die Zuordnungstabelle kennt</translation>
    </message>
    <message>
        <source>%1 is not a date</source>
        <translation>%1 ist kein Datum</translation>
    </message>
</context>
<context>
    <name>lb::ghl</name>
    <message>
        <source>the answer has no list of %1</source>
        <translation>die Antwort enthält keine Liste von %1</translation>
    </message>
    <message>
        <source>the answer has no %1 object</source>
        <translation>die Antwort enthält kein %1-Objekt</translation>
    </message>
    <message>
        <source>the %1 in the answer has no id</source>
        <translation>das Objekt %1 in der Antwort hat keine ID</translation>
    </message>
    <message>
        <source>the service answered that it did not succeed</source>
        <translation>der Dienst hat gemeldet, dass die Anfrage nicht erfolgreich war</translation>
    </message>
    <message>
        <source>the answer has no contact object</source>
        <translation>die Antwort enthält kein Kontaktobjekt</translation>
    </message>
    <message>
        <source>the contact in the answer has no id</source>
        <translation>der Kontakt in der Antwort hat keine ID</translation>
    </message>
    <message>
        <source>the answer has no list of tags</source>
        <translation>die Antwort enthält keine Liste von Tags</translation>
    </message>
    <message>
        <source>the answer is about another record (id %1)</source>
        <translation>die Antwort betrifft einen anderen Datensatz (ID %1)</translation>
    </message>
</context>
<context>
    <name>lb::ghl::ContactsByBusinessRequest</name>
    <message>
        <source>the answer has no list of contacts</source>
        <translation>die Antwort enthält keine Liste von Kontakten</translation>
    </message>
</context>
<context>
    <name>lb::ghl::GetContactRequest</name>
    <message>
        <source>the answer is about another contact (id %1)</source>
        <translation>die Antwort betrifft einen anderen Kontakt (ID %1)</translation>
    </message>
</context>
<context>
    <name>lb::ghl::ListCustomFieldsRequest</name>
    <message>
        <source>the answer has no list of custom fields</source>
        <translation>die Antwort enthält keine Liste benutzerdefinierter Felder</translation>
    </message>
</context>
<context>
    <name>lb::ghl::OAuthTokenProvider</name>
    <message>
        <source>Renewing the GHL access token failed: %1 Connect the account again.</source>
        <translation>Die Erneuerung des GHL-Zugriffstokens ist fehlgeschlagen: %1 Verbinden Sie das Konto erneut.</translation>
    </message>
</context>
<context>
    <name>lb::ghl::SearchContactsRequest</name>
    <message>
        <source>the search answer has no list of contacts</source>
        <translation>die Suchantwort enthält keine Liste von Kontakten</translation>
    </message>
    <message>
        <source>item %1 of the page is not a contact object</source>
        <translation>Eintrag %1 der Seite ist kein Kontaktobjekt</translation>
    </message>
    <message>
        <source>item %1 of the page has no contact id</source>
        <translation>Eintrag %1 der Seite hat keine Kontakt-ID</translation>
    </message>
</context>
<context>
    <name>lb::ghl::TokenRequest</name>
    <message>
        <source>the token answer has no access token</source>
        <translation>die Token-Antwort enthält kein Zugriffstoken</translation>
    </message>
</context>
<context>
    <name>lb::gui::AppSession</name>
    <message>
        <source>Demo: simulated GHL with %1 contacts; its rate limit is raised to %2 requests per 10 s (GHL allows 100) so that the first pull takes seconds.</source>
        <translation>Demo: simuliertes GHL mit %1 Kontakten; sein Ratenlimit ist auf %2 Anfragen pro 10 s angehoben (GHL erlaubt 100), damit der erste Abruf nur Sekunden dauert.</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder for the demo database.</source>
        <translation>Für die Demodatenbank lässt sich kein temporärer Ordner anlegen.</translation>
    </message>
    <message>
        <source>The profile has no GHL location yet. Use Profile → Set up.</source>
        <translation>Das Profil hat noch keinen GHL-Standort. Nutzen Sie Profil → Einrichten.</translation>
    </message>
    <message>
        <source>Reading the GHL credentials from the keychain…</source>
        <translation>Lese die GHL-Zugangsdaten aus dem Schlüsselbund …</translation>
    </message>
    <message>
        <source>No GHL credentials are stored for this profile. Use Profile → Set up to enter them.</source>
        <translation>Für dieses Profil sind keine GHL-Zugangsdaten gespeichert. Tragen Sie sie unter Profil → Einrichten ein.</translation>
    </message>
    <message>
        <source>The renewed GHL token could not be saved: %1</source>
        <translation>Das erneuerte GHL-Token konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Reading the changes from GHL…</source>
        <translation>Lese die Änderungen aus GHL …</translation>
    </message>
</context>
<context>
    <name>lb::gui::AppointmentModel</name>
    <message>
        <source>Starts</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Ort</translation>
    </message>
</context>
<context>
    <name>lb::gui::ContactDialog</name>
    <message>
        <source>New contact</source>
        <translation>Neuer Kontakt</translation>
    </message>
    <message>
        <source>Edit contact</source>
        <translation>Kontakt bearbeiten</translation>
    </message>
    <message>
        <source>GHL&apos;s API cannot change the company of an existing contact.</source>
        <translation>Die GHL-API kann die Firma eines bestehenden Kontakts nicht ändern.</translation>
    </message>
    <message>
        <source>“%1” is not an email address. It should look like name@example.com.</source>
        <translation>„%1“ ist keine E-Mail-Adresse. Sie sollte wie name@example.com aussehen.</translation>
    </message>
    <message>
        <source>“%1” is not a phone number. Use digits, with an optional + and country code.</source>
        <translation>„%1“ ist keine Telefonnummer. Verwenden Sie Ziffern, optional mit + und Ländervorwahl.</translation>
    </message>
    <message>
        <source>Enter a name, an email address or a phone number.</source>
        <translation>Geben Sie einen Namen, eine E-Mail-Adresse oder eine Telefonnummer ein.</translation>
    </message>
</context>
<context>
    <name>lb::gui::ContactFieldsModel</name>
    <message>
        <source>First name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Bundesland</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>Postleitzahl</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Website</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>Nicht stören</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Updated in GHL</source>
        <translation>Geändert in GHL</translation>
    </message>
    <message>
        <source>GHL id</source>
        <translation>GHL-ID</translation>
    </message>
    <message>
        <source>Custom field %1</source>
        <translation>Benutzerdefiniertes Feld %1</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>lb::gui::ContactTableModel</name>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation>Nach dieser Spalte kann nicht sortiert werden</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
</context>
<context>
    <name>lb::gui::ContactsView</name>
    <message>
        <source>Contacts cannot be sorted by tags.</source>
        <translation>Kontakte lassen sich nicht nach Tags sortieren.</translation>
    </message>
    <message>
        <source>Created the contact in GHL.</source>
        <translation>Der Kontakt wurde in GHL angelegt.</translation>
    </message>
    <message>
        <source>Deleted “%1” in GHL.</source>
        <translation>„%1“ wurde in GHL gelöscht.</translation>
    </message>
    <message>
        <source>The local database could not be read.</source>
        <translation>Die lokale Datenbank konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>1 contact</source>
        <translation>1 Kontakt</translation>
    </message>
    <message>
        <source>%1 contacts</source>
        <translation>%1 Kontakte</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 Treffer</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 Treffer</translation>
    </message>
    <message>
        <source>Not pulled from GHL yet</source>
        <translation>Noch nicht aus GHL abgerufen</translation>
    </message>
    <message>
        <source>Pulled from GHL %1</source>
        <translation>Aus GHL abgerufen: %1</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>Termine</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Mark complete</source>
        <translation>Als erledigt markieren</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>%1 did not work: %2</source>
        <extracomment>%1 is what was being done (&quot;Deleting the contact&quot;), %2 the reason in a sentence</extracomment>
        <translation>%1 hat nicht geklappt: %2</translation>
    </message>
    <message>
        <source>Refreshing from GHL: %1 of %2 contacts</source>
        <translation>Aktualisiere aus GHL: %1 von %2 Kontakten</translation>
    </message>
    <message>
        <source>Refreshing from GHL…</source>
        <translation>Aktualisiere aus GHL …</translation>
    </message>
    <message>
        <source>Refresh cancelled. What was read so far is kept.</source>
        <translation>Aktualisierung abgebrochen. Was bisher gelesen wurde, bleibt erhalten.</translation>
    </message>
    <message>
        <source>Refreshing from GHL stopped: %1 The contacts shown are the local copy.</source>
        <translation>Die Aktualisierung aus GHL wurde angehalten: %1 Angezeigt wird die lokale Kopie.</translation>
    </message>
    <message>
        <source>Some contacts (%1) could not be read from GHL; the next refresh tries again.</source>
        <translation>Einige Kontakte (%1) konnten nicht aus GHL gelesen werden; die nächste Aktualisierung versucht es erneut.</translation>
    </message>
    <message>
        <source>Creating the contact in GHL…</source>
        <translation>Lege den Kontakt in GHL an …</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Kontakt löschen</translation>
    </message>
    <message>
        <source>Delete “%1” in GHL?</source>
        <translation>„%1“ in GHL löschen?</translation>
    </message>
    <message>
        <source>The contact and its tasks, notes and appointments are deleted in GHL itself, for everyone. This cannot be undone.</source>
        <translation>Der Kontakt und seine Aufgaben, Notizen und Termine werden in GHL selbst gelöscht, für alle. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Deleting “%1” in GHL…</source>
        <translation>Lösche „%1“ in GHL …</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Tag hinzufügen</translation>
    </message>
    <message>
        <source>Tag to add to “%1”:</source>
        <translation>Tag für „%1“:</translation>
    </message>
    <message>
        <source>Delete task</source>
        <translation>Aufgabe löschen</translation>
    </message>
    <message>
        <source>Delete the task “%1” in GHL?</source>
        <translation>Die Aufgabe „%1“ in GHL löschen?</translation>
    </message>
    <message>
        <source>Delete note</source>
        <translation>Notiz löschen</translation>
    </message>
    <message>
        <source>Delete this note in GHL?</source>
        <translation>Diese Notiz in GHL löschen?</translation>
    </message>
</context>
<context>
    <name>lb::gui::DryRunModel</name>
    <message>
        <source>create</source>
        <translation>anlegen</translation>
    </message>
    <message>
        <source>update</source>
        <translation>aktualisieren</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message numerus="yes">
        <source>%n field(s)</source>
        <translation>
            <numerusform>%n Feld</numerusform>
            <numerusform>%n Felder</numerusform>
        </translation>
    </message>
    <message>
        <source>Prospect</source>
        <translation>Interessent</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Now in Saleshandy</source>
        <translation>Jetzt in Saleshandy</translation>
    </message>
    <message>
        <source>After the run</source>
        <translation>Nach dem Lauf</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>zusammengeführt</translation>
    </message>
    <message>
        <source>deleted in GHL</source>
        <translation>in GHL gelöscht</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>%1, %2 and %3 would be sent with a warning (a value kept as written, cut, or not sent).</source>
        <translation>%1, %2 und %3 würden mit einer Warnung gesendet (ein Wert wie geschrieben übernommen, gekürzt oder nicht gesendet).</translation>
    </message>
    <message numerus="yes">
        <source>%n prospect(s)</source>
        <translation>
            <numerusform>%n Interessent</numerusform>
            <numerusform>%n Interessenten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s)</source>
        <translation>
            <numerusform>%n Aufgabe</numerusform>
            <numerusform>%n Aufgaben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n Notiz</numerusform>
            <numerusform>%n Notizen</numerusform>
        </translation>
    </message>
    <message>
        <source>contact %1</source>
        <translation>Kontakt %1</translation>
    </message>
    <message>
        <source>Note “%1”</source>
        <translation>Notiz „%1“</translation>
    </message>
    <message>
        <source>deleted in GHL: its content gets the prefix “[Deleted in GHL]”</source>
        <translation>in GHL gelöscht: Der Inhalt erhält das Präfix „[In GHL gelöscht]“</translation>
    </message>
    <message>
        <source>Task “%1”</source>
        <translation>Aufgabe „%1“</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>its tasks, notes and tags</source>
        <translation>seine Aufgaben, Notizen und Tags</translation>
    </message>
    <message>
        <source>merged into the prospect of a contact with the same email</source>
        <translation>in den Interessenten eines Kontakts mit gleicher E-Mail zusammengeführt</translation>
    </message>
    <message>
        <source>merged into the prospect of %1</source>
        <translation>in den Interessenten von %1 zusammengeführt</translation>
    </message>
    <message>
        <source>deleted in GHL after it was sent; handled as the sync rules say</source>
        <translation>nach dem Senden in GHL gelöscht; gemäß den Abgleichregeln behandelt</translation>
    </message>
    <message numerus="yes">
        <source>, %n with a warning</source>
        <translation>
            <numerusform>, %n mit Warnung</numerusform>
            <numerusform>, %n mit Warnung</numerusform>
        </translation>
    </message>
    <message>
        <source>shares its email with %1: their tasks and notes go to this prospect too</source>
        <translation>teilt seine E-Mail mit %1: Deren Aufgaben und Notizen gehen ebenfalls an diesen Interessenten</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1 — %2: %3</source>
        <translation>%1 — %2: %3</translation>
    </message>
</context>
<context>
    <name>lb::gui::EventsModel</name>
    <message>
        <source>created</source>
        <translation>angelegt</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>aktualisiert</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>appointment</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>GHL id</source>
        <translation>GHL-ID</translation>
    </message>
    <message>
        <source>Saleshandy id</source>
        <translation>Saleshandy-ID</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>zusammengeführt</translation>
    </message>
    <message>
        <source>deleted in GHL</source>
        <translation>in GHL gelöscht</translation>
    </message>
    <message>
        <source>Field warnings: values not sent exactly as GHL has them</source>
        <translation>Feldwarnungen: Werte, die nicht genau wie in GHL gesendet wurden</translation>
    </message>
</context>
<context>
    <name>lb::gui::FieldLimitDelegate</name>
    <message>
        <source> characters</source>
        <translation> Zeichen</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>The most characters the Saleshandy field takes; 0 goes back to the unconfirmed default.</source>
        <translation>Die maximale Zeichenzahl, die das Saleshandy-Feld aufnimmt; 0 stellt die unbestätigte Vorgabe wieder her.</translation>
    </message>
</context>
<context>
    <name>lb::gui::GhlFieldModel</name>
    <message>
        <source>Custom field “%1” (%2)</source>
        <translation>Benutzerdefiniertes Feld „%1“ (%2)</translation>
    </message>
    <message>
        <source>GHL field</source>
        <translation>GHL-Feld</translation>
    </message>
    <message>
        <source>Sample value</source>
        <translation>Beispielwert</translation>
    </message>
</context>
<context>
    <name>lb::gui::LogsView</name>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Alle Ergebnisse</translation>
    </message>
    <message>
        <source>Failed or invalid</source>
        <translation>Fehlgeschlagen oder ungültig</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut senden</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n Ereignis</numerusform>
            <numerusform>%n Ereignisse</numerusform>
        </translation>
    </message>
    <message>
        <source>%1+ events</source>
        <translation>%1+ Ereignisse</translation>
    </message>
    <message>
        <source>Select an event to see its reason, Saleshandy id and request ids.</source>
        <translation>Wählen Sie ein Ereignis, um Grund, Saleshandy-ID und Anfrage-IDs zu sehen.</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Saleshandy id</source>
        <translation>Saleshandy-ID</translation>
    </message>
    <message>
        <source>Request ids</source>
        <translation>Anfrage-IDs</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Run, event</source>
        <translation>Lauf, Ereignis</translation>
    </message>
    <message>
        <source>Choose a run first.</source>
        <translation>Wählen Sie zuerst einen Lauf.</translation>
    </message>
    <message>
        <source>Select failed contact records to retry them.</source>
        <translation>Wählen Sie fehlgeschlagene Kontakte aus, um sie erneut zu senden.</translation>
    </message>
    <message>
        <source>Export log</source>
        <translation>Protokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>The log could not be exported: %1</source>
        <translation>Das Protokoll konnte nicht exportiert werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n field(s) not sent exactly as GHL has them:</source>
        <translation>
            <numerusform>%n Feld nicht genau wie in GHL gesendet:</numerusform>
            <numerusform>%n Felder nicht genau wie in GHL gesendet:</numerusform>
        </translation>
    </message>
    <message>
        <source>In GHL: “%1”</source>
        <translation>In GHL: „%1“</translation>
    </message>
</context>
<context>
    <name>lb::gui::MainWindow</name>
    <message>
        <source>Demo mode</source>
        <translation>Demo-Modus</translation>
    </message>
    <message>
        <source>Simulated GHL and Saleshandy services with sample data; nothing leaves this computer.</source>
        <translation>Simulierte GHL- und Saleshandy-Dienste mit Beispieldaten; nichts verlässt diesen Computer.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profil: %1</translation>
    </message>
    <message>
        <source>%1 – LeadBridge</source>
        <extracomment>Window title: the profile name, then the application name</extracomment>
        <translation>%1 – LeadBridge</translation>
    </message>
    <message>
        <source>Demo services not started</source>
        <translation>Demo-Dienste nicht gestartet</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Verbindung fehlgeschlagen</translation>
    </message>
    <message>
        <source>About LeadBridge</source>
        <translation>Über LeadBridge</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LeadBridge %1&lt;/h3&gt;&lt;p&gt;Keeps Saleshandy in step with GoHighLevel: contacts, tasks, notes and appointments.&lt;/p&gt;&lt;p&gt;Tokens and API keys are kept in the system keychain, never in a settings file.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LeadBridge %1&lt;/h3&gt;&lt;p&gt;Hält Saleshandy mit GoHighLevel auf dem gleichen Stand: Kontakte, Aufgaben, Notizen und Termine.&lt;/p&gt;&lt;p&gt;Tokens und API-Schlüssel liegen nur im Schlüsselbund des Systems, nie in einer Einstellungsdatei.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write the screenshot to %1.</source>
        <translation>Das Bildschirmfoto kann nicht nach %1 geschrieben werden.</translation>
    </message>
    <message>
        <source>Saved a %1×%2 screenshot to %3.</source>
        <translation>Bildschirmfoto (%1×%2) nach %3 gespeichert.</translation>
    </message>
    <message>
        <source>Offline: showing the local copy</source>
        <translation>Offline: lokale Kopie</translation>
    </message>
    <message>
        <source>Last pull: %1</source>
        <extracomment>Status bar: when the contacts were last read from GHL (&quot;5 minutes ago&quot;, &quot;never&quot;)</extracomment>
        <translation>Letzter Abruf: %1</translation>
    </message>
    <message>
        <source>GHL quota: %1/%2 per 10 s</source>
        <translation>GHL-Kontingent: %1/%2 pro 10 s</translation>
    </message>
    <message>
        <source>, %1 today</source>
        <translation>, %1 heute</translation>
    </message>
    <message>
        <source>Requests left in GHL&apos;s burst window and today&apos;s budget for this location.</source>
        <translation>Verbleibende Anfragen im GHL-Zeitfenster und im heutigen Budget dieses Standorts.</translation>
    </message>
    <message>
        <source> (demo limit; GHL allows 100)</source>
        <extracomment>Appended to the quota in the status bar in demo mode</extracomment>
        <translation> (Demo-Limit; GHL erlaubt 100)</translation>
    </message>
    <message>
        <source>Daily budget: %1</source>
        <translation>Tagesbudget: %1</translation>
    </message>
    <message>
        <source>Forget credentials</source>
        <translation>Zugangsdaten vergessen</translation>
    </message>
    <message>
        <source>Remove the GHL token and the Saleshandy API key of profile “%1” from the keychain?</source>
        <translation>GHL-Token und Saleshandy-API-Schlüssel des Profils „%1“ aus dem Schlüsselbund entfernen?</translation>
    </message>
    <message>
        <source>The local copy of the contacts stays. Enter the credentials again with Profile → Set up profile.</source>
        <translation>Die lokale Kopie der Kontakte bleibt. Tragen Sie die Zugangsdaten unter Profil → Profil einrichten wieder ein.</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>Vergessen</translation>
    </message>
    <message>
        <source>The credentials were removed from the keychain.</source>
        <translation>Die Zugangsdaten wurden aus dem Schlüsselbund entfernt.</translation>
    </message>
    <message>
        <source>Not everything could be removed: %1</source>
        <translation>Nicht alles konnte entfernt werden: %1</translation>
    </message>
</context>
<context>
    <name>lb::gui::MappingRulesModel</name>
    <message>
        <source>Replace mapping</source>
        <translation>Zuordnung ersetzen</translation>
    </message>
    <message>
        <source>Map %1 to %2</source>
        <translation>%1 nach %2 zuordnen</translation>
    </message>
    <message>
        <source>Remove rule %1 → %2</source>
        <translation>Regel %1 → %2 entfernen</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Trim</source>
        <translation>Leerraum entfernen</translation>
    </message>
    <message>
        <source>Trim, lower case</source>
        <translation>Leerraum entfernen, Kleinbuchstaben</translation>
    </message>
    <message>
        <source>Trim, upper case</source>
        <translation>Leerraum entfernen, Großbuchstaben</translation>
    </message>
    <message>
        <source>Trim, title case</source>
        <translation>Leerraum entfernen, Wortanfänge groß</translation>
    </message>
    <message>
        <source>Phone number (E.164)</source>
        <translation>Telefonnummer (E.164)</translation>
    </message>
    <message>
        <source>Date (yyyy-MM-dd)</source>
        <translation>Datum (yyyy-MM-dd)</translation>
    </message>
    <message>
        <source>Join list with commas</source>
        <translation>Liste mit Kommas verbinden</translation>
    </message>
    <message>
        <source>Cut to 255 characters</source>
        <translation>Auf 255 Zeichen kürzen</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>From GHL</source>
        <translation>Aus GHL</translation>
    </message>
    <message>
        <source>To Saleshandy</source>
        <translation>Nach Saleshandy</translation>
    </message>
    <message>
        <source>Transform</source>
        <translation>Umwandlung</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Transform of %1: %2</source>
        <translation>Umwandlung von %1: %2</translation>
    </message>
    <message>
        <source>Default of %1</source>
        <translation>Vorgabe von %1</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Ziel %1</translation>
    </message>
    <message>
        <source>Send as written</source>
        <translation>Wie geschrieben senden</translation>
    </message>
    <message>
        <source>Leave Saleshandy&apos;s value</source>
        <translation>Wert in Saleshandy belassen</translation>
    </message>
    <message>
        <source>Send empty (erases Saleshandy&apos;s value)</source>
        <translation>Leer senden (löscht den Wert in Saleshandy)</translation>
    </message>
    <message>
        <source>Mark the record invalid</source>
        <translation>Datensatz als ungültig markieren</translation>
    </message>
    <message>
        <source>send as written</source>
        <translation>wie geschrieben senden</translation>
    </message>
    <message>
        <source>leave as is</source>
        <translation>unverändert lassen</translation>
    </message>
    <message>
        <source>send empty</source>
        <translation>leer senden</translation>
    </message>
    <message>
        <source>mark invalid</source>
        <translation>als ungültig markieren</translation>
    </message>
    <message>
        <source>The GHL value is sent as written (trimmed, cut at the field&apos;s limit) and the field gets a warning. The default: nothing is blanked.</source>
        <translation>Der GHL-Wert wird wie geschrieben gesendet (ohne Leerraum am Rand, am Feldlimit gekürzt), und das Feld erhält eine Warnung. Die Vorgabe: Nichts wird geleert.</translation>
    </message>
    <message>
        <source>Nothing is sent for this field: Saleshandy keeps the value it has. The field gets a warning.</source>
        <translation>Für dieses Feld wird nichts gesendet: Saleshandy behält seinen Wert. Das Feld erhält eine Warnung.</translation>
    </message>
    <message>
        <source>The field is sent empty, which erases the value Saleshandy has. The field gets a warning.</source>
        <translation>Das Feld wird leer gesendet, wodurch der Wert in Saleshandy gelöscht wird. Das Feld erhält eine Warnung.</translation>
    </message>
    <message>
        <source>The whole record is not sent; the log says which value could not be converted.</source>
        <translation>Der ganze Datensatz wird nicht gesendet; das Protokoll nennt den Wert, der nicht umgewandelt werden konnte.</translation>
    </message>
    <message>
        <source>Limit of %1: %2</source>
        <translation>Limit für %1: %2</translation>
    </message>
    <message>
        <source>Default limit of %1</source>
        <translation>Vorgabe-Limit für %1</translation>
    </message>
    <message>
        <source>Sync rules</source>
        <translation>Abgleichregeln</translation>
    </message>
    <message>
        <source>If the value can&apos;t be converted: %1. %2</source>
        <translation>Wenn der Wert nicht umgewandelt werden kann: %1. %2</translation>
    </message>
    <message>
        <source>Longest value “%1” takes: %2 characters</source>
        <translation>Längster Wert, den „%1“ aufnimmt: %2 Zeichen</translation>
    </message>
    <message>
        <source>What the rule does when its transform or its Saleshandy field cannot take the value (a phone number that does not parse, a text in a date field). The default sends it as written, with a warning: nothing is blanked.</source>
        <translation>Was die Regel tut, wenn ihre Umwandlung oder ihr Saleshandy-Feld den Wert nicht aufnehmen kann (eine Telefonnummer, die sich nicht lesen lässt, ein Text in einem Datumsfeld). Die Vorgabe sendet ihn wie geschrieben, mit einer Warnung: Nichts wird geleert.</translation>
    </message>
    <message>
        <source>If unconvertible</source>
        <translation>Falls nicht umwandelbar</translation>
    </message>
    <message>
        <source>If %1 can&apos;t be converted: %2</source>
        <translation>Wenn %1 nicht umgewandelt werden kann: %2</translation>
    </message>
</context>
<context>
    <name>lb::gui::MappingView</name>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>Termine</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Version %1 could not be read.</source>
        <translation>Version %1 konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Created the field “%1” in Saleshandy.</source>
        <translation>Das Feld „%1“ wurde in Saleshandy angelegt.</translation>
    </message>
    <message>
        <source>No problems: the mapping can run.</source>
        <translation>Keine Probleme: Die Zuordnung kann laufen.</translation>
    </message>
    <message>
        <source>Runs are blocked until these are fixed:</source>
        <translation>Läufe sind gesperrt, bis dies behoben ist:</translation>
    </message>
    <message>
        <source>Warnings:</source>
        <translation>Warnungen:</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weiteres</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>v%1 %2 (%3)</source>
        <translation>v%1 %2 (%3)</translation>
    </message>
    <message>
        <source>No saved versions</source>
        <translation>Keine gespeicherten Versionen</translation>
    </message>
    <message>
        <source>Restore version %1</source>
        <translation>Version %1 wiederherstellen</translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>%1 importieren</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>Zuordnung speichern</translation>
    </message>
    <message>
        <source>Name of this version:</source>
        <translation>Name dieser Version:</translation>
    </message>
    <message>
        <source>The mapping could not be saved: %1</source>
        <translation>Die Zuordnung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Import mapping</source>
        <translation>Zuordnung importieren</translation>
    </message>
    <message>
        <source>Mapping files (*.json)</source>
        <translation>Zuordnungsdateien (*.json)</translation>
    </message>
    <message>
        <source>Export mapping</source>
        <translation>Zuordnung exportieren</translation>
    </message>
</context>
<context>
    <name>lb::gui::NoteDialog</name>
    <message>
        <source>New note</source>
        <translation>Neue Notiz</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>Notiz bearbeiten</translation>
    </message>
    <message>
        <source>Write the note first.</source>
        <translation>Schreiben Sie zuerst die Notiz.</translation>
    </message>
</context>
<context>
    <name>lb::gui::NoteModel</name>
    <message>
        <source>Added</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
</context>
<context>
    <name>lb::gui::OAuthSignIn</name>
    <message>
        <source>Enter your marketplace app&apos;s client id and client secret first.</source>
        <translation>Geben Sie zuerst Client-ID und Client-Secret Ihrer Marketplace-App ein.</translation>
    </message>
    <message>
        <source>LeadBridge received GHL&apos;s answer. You can close this tab.</source>
        <translation>LeadBridge hat die Antwort von GHL erhalten. Sie können diesen Tab schließen.</translation>
    </message>
    <message>
        <source>Cannot listen on %1 for GHL&apos;s answer: another program uses port %2. Close it and try again.</source>
        <translation>Auf %1 kann nicht auf die Antwort von GHL gewartet werden: ein anderes Programm nutzt Port %2. Schließen Sie es und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Cannot open a web browser. Open this address yourself: %1</source>
        <translation>Es lässt sich kein Webbrowser öffnen. Öffnen Sie diese Adresse selbst: %1</translation>
    </message>
    <message>
        <source>GHL did not grant access: %1</source>
        <translation>GHL hat den Zugriff nicht gewährt: %1</translation>
    </message>
    <message>
        <source>GHL&apos;s answer did not match the sign-in that was started. Try again.</source>
        <translation>Die Antwort von GHL passt nicht zur begonnenen Anmeldung. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>GHL&apos;s answer carried no authorization code. Try again.</source>
        <translation>Die Antwort von GHL enthielt keinen Autorisierungscode. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>GHL refused to issue a token: %1</source>
        <translation>GHL hat kein Token ausgestellt: %1</translation>
    </message>
    <message>
        <source>Signed in to GHL.</source>
        <translation>Bei GHL angemeldet.</translation>
    </message>
</context>
<context>
    <name>lb::gui::PreviewModel</name>
    <message>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source> (due %1)</source>
        <translation> (fällig %1)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Saleshandy field</source>
        <translation>Saleshandy-Feld</translation>
    </message>
    <message>
        <source>Value for the sample contact</source>
        <translation>Wert für den Beispielkontakt</translation>
    </message>
    <message>
        <source>(empty: erases Saleshandy&apos;s value)</source>
        <translation>(leer: löscht den Wert in Saleshandy)</translation>
    </message>
    <message>
        <source>(not sent: Saleshandy keeps its value)</source>
        <translation>(nicht gesendet: Saleshandy behält seinen Wert)</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
</context>
<context>
    <name>lb::gui::RunsModel</name>
    <message>
        <source>%1, dry run</source>
        <translation>%1, Probelauf</translation>
    </message>
    <message>
        <source>failed records</source>
        <translation>fehlgeschlagene Datensätze</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Unverändert</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Ungültig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>No record was written with a warning.</source>
        <translation>Kein Datensatz wurde mit einer Warnung geschrieben.</translation>
    </message>
    <message>
        <source>Records written with at least one field warning (a value kept as written, cut, left unchanged or sent empty)</source>
        <translation>Datensätze, die mit mindestens einer Feldwarnung geschrieben wurden (ein Wert wie geschrieben übernommen, gekürzt, unverändert belassen oder leer gesendet)</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
</context>
<context>
    <name>lb::gui::SaleshandyFieldModel</name>
    <message>
        <source>(constant)</source>
        <translation>(Konstante)</translation>
    </message>
    <message>
        <source>special</source>
        <translation>speziell</translation>
    </message>
    <message>
        <source>%1 (to be created)</source>
        <translation>%1 (wird angelegt)</translation>
    </message>
    <message>
        <source>Required: Saleshandy identifies prospects by email.</source>
        <translation>Pflichtfeld: Saleshandy erkennt Interessenten an der E-Mail.</translation>
    </message>
    <message>
        <source>Not in Saleshandy yet: the next run creates it, or create it now.</source>
        <translation>Noch nicht in Saleshandy: Der nächste Lauf legt es an, oder legen Sie es jetzt an.</translation>
    </message>
    <message>
        <source>Saleshandy field</source>
        <translation>Saleshandy-Feld</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Filled from</source>
        <translation>Gefüllt aus</translation>
    </message>
    <message>
        <source>%1 (unconfirmed default)</source>
        <translation>%1 (unbestätigte Vorgabe)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message numerus="yes">
        <source>Longer values are cut at %n character(s) with an ellipsis and a warning. Set 0 to go back to the default.</source>
        <translation>
            <numerusform>Längere Werte werden bei %n Zeichen mit Auslassungszeichen und einer Warnung gekürzt. Setzen Sie 0, um zur Vorgabe zurückzukehren.</numerusform>
            <numerusform>Längere Werte werden bei %n Zeichen mit Auslassungszeichen und einer Warnung gekürzt. Setzen Sie 0, um zur Vorgabe zurückzukehren.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saleshandy publishes no limits: %n character(s) is LeadBridge&apos;s unconfirmed guess. Longer values are cut with an ellipsis and a warning. Double-click to set the limit your account really has.</source>
        <translation>
            <numerusform>Saleshandy veröffentlicht keine Limits: %n Zeichen ist die unbestätigte Schätzung von LeadBridge. Längere Werte werden mit Auslassungszeichen und einer Warnung gekürzt. Doppelklicken Sie, um das Limit festzulegen, das Ihr Konto tatsächlich hat.</numerusform>
            <numerusform>Saleshandy veröffentlicht keine Limits: %n Zeichen sind die unbestätigte Schätzung von LeadBridge. Längere Werte werden mit Auslassungszeichen und einer Warnung gekürzt. Doppelklicken Sie, um das Limit festzulegen, das Ihr Konto tatsächlich hat.</numerusform>
        </translation>
    </message>
    <message>
        <source>Saleshandy publishes no limits: %1 characters for text and %2 for long text are LeadBridge&apos;s unconfirmed guesses. A longer value is cut with an ellipsis and a warning. Double-click a limit to set the one your account has.</source>
        <translation>Saleshandy veröffentlicht keine Limits: %1 Zeichen für Text und %2 für langen Text sind unbestätigte Schätzungen von LeadBridge. Ein längerer Wert wird mit Auslassungszeichen und einer Warnung gekürzt. Doppelklicken Sie auf ein Limit, um das Ihres Kontos festzulegen.</translation>
    </message>
    <message>
        <source>Max. characters</source>
        <translation>Max. Zeichen</translation>
    </message>
</context>
<context>
    <name>lb::gui::SetupWizard</name>
    <message>
        <source>Register %1 as the redirect URL of your app in the GHL marketplace.</source>
        <translation>Tragen Sie %1 als Redirect-URL Ihrer App im GHL-Marketplace ein.</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored token</source>
        <translation>Leer lassen, um das gespeicherte Token zu behalten</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored key</source>
        <translation>Leer lassen, um den gespeicherten Schlüssel zu behalten</translation>
    </message>
    <message>
        <source>Profile %1</source>
        <translation>Profil %1</translation>
    </message>
    <message>
        <source>Enter the location id.</source>
        <translation>Geben Sie die Standort-ID ein.</translation>
    </message>
    <message>
        <source>The service address must start with https://.</source>
        <translation>Die Dienstadresse muss mit https:// beginnen.</translation>
    </message>
    <message>
        <source>Paste the Private Integration Token.</source>
        <translation>Fügen Sie das Private Integration Token ein.</translation>
    </message>
    <message>
        <source>Sign in with GHL first.</source>
        <translation>Melden Sie sich zuerst bei GHL an.</translation>
    </message>
    <message>
        <source>Profile “%1” will use the demo: simulated GHL and Saleshandy services with sample contacts, on this computer only.</source>
        <translation>Profil „%1“ nutzt die Demo: simulierte GHL- und Saleshandy-Dienste mit Beispielkontakten, nur auf diesem Computer.</translation>
    </message>
    <message>
        <source>Profile “%1” connects to GHL location %2 (%3). The secrets you entered go to the system keychain when you click Finish; everything else to LeadBridge&apos;s settings.</source>
        <translation>Profil „%1“ verbindet sich mit dem GHL-Standort %2 (%3). Die eingegebenen Geheimnisse kommen beim Klick auf Fertigstellen in den Schlüsselbund des Systems, alles andere in die Einstellungen von LeadBridge.</translation>
    </message>
    <message>
        <source>OAuth</source>
        <translation>OAuth</translation>
    </message>
    <message>
        <source>Private Integration Token</source>
        <translation>Private Integration Token</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Teste …</translation>
    </message>
    <message>
        <source>Paste the token first.</source>
        <translation>Fügen Sie zuerst das Token ein.</translation>
    </message>
    <message>
        <source>Paste the API key first.</source>
        <translation>Fügen Sie zuerst den API-Schlüssel ein.</translation>
    </message>
    <message>
        <source>The key will be stored. This version cannot test it yet: the first sync will tell.</source>
        <translation>Der Schlüssel wird gespeichert. Diese Version kann ihn noch nicht testen; der erste Abgleich zeigt es.</translation>
    </message>
    <message>
        <source>Waiting for GHL in your browser…</source>
        <translation>Warte auf GHL in Ihrem Browser …</translation>
    </message>
    <message>
        <source>Cannot write the settings file %1.</source>
        <translation>Die Einstellungsdatei %1 lässt sich nicht schreiben.</translation>
    </message>
    <message>
        <source>Saving to the keychain…</source>
        <translation>Speichere im Schlüsselbund …</translation>
    </message>
    <message>
        <source>The credentials could not be saved: %1</source>
        <translation>Die Zugangsdaten konnten nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>lb::gui::SyncDashboard</name>
    <message>
        <source>A dry run lists here, per prospect, the fields a run would change: now in Saleshandy → after the run. Nothing is written until you apply it.</source>
        <translation>Ein Probelauf zeigt hier je Interessent die Felder, die ein Lauf ändern würde: jetzt in Saleshandy → nach dem Lauf. Nichts wird geschrieben, bis Sie ihn anwenden.</translation>
    </message>
    <message>
        <source>Ready. Start with a dry run to see what a run would change.</source>
        <translation>Bereit. Beginnen Sie mit einem Probelauf, um zu sehen, was ein Lauf ändern würde.</translation>
    </message>
    <message>
        <source>Runs are blocked: %1</source>
        <translation>Läufe sind gesperrt: %1</translation>
    </message>
    <message>
        <source>Stopping safely: what is in flight is finished or left for the next run…</source>
        <translation>Sicheres Anhalten: Laufendes wird beendet oder dem nächsten Lauf überlassen…</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Planung…</translation>
    </message>
    <message>
        <source>Dry run: reading GHL and planning; nothing is written to Saleshandy…</source>
        <translation>Probelauf: GHL wird gelesen und geplant; nichts wird in Saleshandy geschrieben…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Läuft…</translation>
    </message>
    <message>
        <source>Dry run %1 finished in %2 s; nothing was written to Saleshandy.</source>
        <translation>Probelauf %1 nach %2 s beendet; nichts wurde in Saleshandy geschrieben.</translation>
    </message>
    <message>
        <source>Run %1 stopped: %2</source>
        <translation>Lauf %1 angehalten: %2</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>Synchronisierung fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <source>Run %1 finished with %n failed record(s); see Logs to retry them.</source>
        <translation>
            <numerusform>Lauf %1 mit %n fehlgeschlagenen Datensatz beendet; im Protokoll erneut senden.</numerusform>
            <numerusform>Lauf %1 mit %n fehlgeschlagenen Datensätzen beendet; im Protokoll erneut senden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync finished with failures</source>
        <translation>Synchronisierung mit Fehlern beendet</translation>
    </message>
    <message>
        <source>Run %1 finished in %2 s: %3 created, %4 updated, %5 unchanged, %6 invalid.</source>
        <translation>Lauf %1 nach %2 s beendet: %3 angelegt, %4 aktualisiert, %5 unverändert, %6 ungültig.</translation>
    </message>
    <message>
        <source>%1 of %2 requests left in the current window</source>
        <translation>%1 von %2 Anfragen im aktuellen Zeitfenster übrig</translation>
    </message>
    <message>
        <source>%1 of %2 left today</source>
        <translation>%1 von %2 heute übrig</translation>
    </message>
    <message numerus="yes">
        <source>Records changed or refused, last %n run(s)</source>
        <translation>
            <numerusform>Geänderte oder abgelehnte Datensätze, letzter Lauf</numerusform>
            <numerusform>Geänderte oder abgelehnte Datensätze, letzte %n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>created</source>
        <translation>angelegt</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>aktualisiert</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>#%1 (dry)</source>
        <translation>#%1 (Probe)</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Dauer (s)</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Dry run %1: %2 prospects would be created, %3 updated, %4 not sent; %5 unchanged.</source>
        <translation>Probelauf %1: %2 Interessenten würden angelegt, %3 aktualisiert, %4 nicht gesendet; %5 unverändert.</translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) share an email with another and would be merged into its prospect, with their tasks and notes.</source>
        <translation>
            <numerusform>%n Kontakt teilt eine E-Mail mit einem anderen und würde samt Aufgaben und Notizen in dessen Interessenten zusammengeführt.</numerusform>
            <numerusform>%n Kontakte teilen eine E-Mail mit einem anderen und würden samt Aufgaben und Notizen in dessen Interessenten zusammengeführt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) deleted in GHL would be handled as the sync rules say.</source>
        <translation>
            <numerusform>%n in GHL gelöschter Kontakt würde gemäß den Abgleichregeln behandelt.</numerusform>
            <numerusform>%n in GHL gelöschte Kontakte würden gemäß den Abgleichregeln behandelt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was written. Expand a prospect to see its fields, old → new, and its warnings; Apply runs it for real.</source>
        <translation>Es wurde nichts geschrieben. Klappen Sie einen Interessenten auf, um seine Felder (alt → neu) und seine Warnungen zu sehen; „Anwenden“ führt den Lauf wirklich aus.</translation>
    </message>
    <message>
        <source>with a warning</source>
        <translation>mit einer Warnung</translation>
    </message>
</context>
<context>
    <name>lb::gui::SyncRulesForm</name>
    <message>
        <source>the most recently updated contact</source>
        <translation>dem zuletzt aktualisierten Kontakt</translation>
    </message>
    <message>
        <source>the oldest contact</source>
        <translation>dem ältesten Kontakt</translation>
    </message>
    <message>
        <source>all the contacts</source>
        <translation>allen Kontakten</translation>
    </message>
    <message>
        <source>that contact only</source>
        <translation>nur diesem Kontakt</translation>
    </message>
    <message>
        <source>stays in Saleshandy as it is</source>
        <translation>bleibt in Saleshandy unverändert</translation>
    </message>
    <message>
        <source>gets the prefix “[Deleted in GHL]”</source>
        <translation>erhält das Präfix „[In GHL gelöscht]“</translation>
    </message>
    <message>
        <source>tags its prospect with</source>
        <translation>versieht seinen Interessenten mit dem Tag</translation>
    </message>
    <message>
        <source>changes nothing in Saleshandy</source>
        <translation>ändert nichts in Saleshandy</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>lb::gui::TargetDelegate</name>
    <message>
        <source>At most %1 characters</source>
        <translation>Höchstens %1 Zeichen</translation>
    </message>
</context>
<context>
    <name>lb::gui::TaskDialog</name>
    <message>
        <source>New task</source>
        <translation>Neue Aufgabe</translation>
    </message>
    <message>
        <source>Edit task</source>
        <translation>Aufgabe bearbeiten</translation>
    </message>
    <message>
        <source>Give the task a title.</source>
        <translation>Geben Sie der Aufgabe einen Titel.</translation>
    </message>
</context>
<context>
    <name>lb::gui::TaskModel</name>
    <message>
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Done</source>
        <extracomment>Column header: whether a task is completed</extracomment>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
</context>
<context>
    <name>lb::mapdetail</name>
    <message>
        <source>%1 names no custom field</source>
        <translation>%1 bezeichnet kein benutzerdefiniertes Feld</translation>
    </message>
    <message>
        <source>cannot check %1: the location&apos;s custom fields are not known</source>
        <translation>%1 kann nicht geprüft werden: Die benutzerdefinierten Felder des Standorts sind nicht bekannt</translation>
    </message>
    <message>
        <source>the location has no custom field with id %1</source>
        <translation>der Standort hat kein benutzerdefiniertes Feld mit der ID %1</translation>
    </message>
    <message>
        <source>the location has no custom field with key %1</source>
        <translation>der Standort hat kein benutzerdefiniertes Feld mit dem Schlüssel %1</translation>
    </message>
    <message>
        <source> (did you mean &apos;%1&apos;?)</source>
        <translation> (meinten Sie &apos;%1&apos;?)</translation>
    </message>
    <message>
        <source> (appointment values belong in the appointment rules)</source>
        <translation> (Terminwerte gehören in die Terminregeln)</translation>
    </message>
    <message>
        <source>unknown GHL %1 field %2%3</source>
        <translation>unbekanntes GHL-%1-Feld %2%3</translation>
    </message>
</context>
<context>
    <name>lb::sh</name>
    <message>
        <source>the answer has no list of prospects</source>
        <translation>die Antwort enthält keine Liste von Interessenten</translation>
    </message>
</context>
<context>
    <name>lb::sh::CreateFieldRequest</name>
    <message>
        <source>the created field has no id</source>
        <translation>das angelegte Feld hat keine ID</translation>
    </message>
</context>
<context>
    <name>lb::sh::CreateNoteRequest</name>
    <message>
        <source>the answer says nothing about the created notes</source>
        <translation>die Antwort sagt nichts über die angelegten Notizen</translation>
    </message>
</context>
<context>
    <name>lb::sh::CreateTaskRequest</name>
    <message>
        <source>the answer says nothing about the created tasks</source>
        <translation>die Antwort sagt nichts über die angelegten Aufgaben</translation>
    </message>
</context>
<context>
    <name>lb::sh::FetchImportReportRequest</name>
    <message>
        <source>the report is CSV, not JSON</source>
        <translation>der Bericht ist CSV, nicht JSON</translation>
    </message>
    <message>
        <source>the import report has no Email column (columns: %1)</source>
        <translation>der Importbericht hat keine Spalte Email (Spalten: %1)</translation>
    </message>
    <message>
        <source>the import report is not valid UTF-8 text</source>
        <translation>der Importbericht ist kein gültiger UTF-8-Text</translation>
    </message>
    <message>
        <source>the import report contains control characters</source>
        <translation>der Importbericht enthält Steuerzeichen</translation>
    </message>
    <message>
        <source>the import report ends inside a quoted value (cut off)</source>
        <translation>der Importbericht endet innerhalb eines Werts in Anführungszeichen (abgeschnitten)</translation>
    </message>
    <message>
        <source>row %1 of the import report has %2 cells, the header %3 (cut off or garbled)</source>
        <translation>Zeile %1 des Importberichts hat %2 Zellen, die Kopfzeile %3 (abgeschnitten oder beschädigt)</translation>
    </message>
</context>
<context>
    <name>lb::sh::GetTaskRequest</name>
    <message>
        <source>the task in the answer has no id</source>
        <translation>die Aufgabe in der Antwort hat keine ID</translation>
    </message>
    <message>
        <source>the answer is about another task (id %1)</source>
        <translation>die Antwort betrifft eine andere Aufgabe (ID %1)</translation>
    </message>
</context>
<context>
    <name>lb::sh::ImportProspectsRequest</name>
    <message>
        <source>the import answer has no requestId</source>
        <translation>die Importantwort enthält keine requestId</translation>
    </message>
</context>
<context>
    <name>lb::sh::ImportStatusRequest</name>
    <message>
        <source>the import status has no isCompleted</source>
        <translation>der Importstatus enthält kein isCompleted</translation>
    </message>
</context>
<context>
    <name>lb::sh::ListFieldsRequest</name>
    <message>
        <source>the answer has no list of fields</source>
        <translation>die Antwort enthält keine Liste von Feldern</translation>
    </message>
</context>
<context>
    <name>lb::sh::ListProspectNotesRequest</name>
    <message>
        <source>the answer has no list of notes</source>
        <translation>die Antwort enthält keine Liste von Notizen</translation>
    </message>
</context>
<context>
    <name>lb::sh::ListSequenceStepsRequest</name>
    <message>
        <source>the answer has no list of steps</source>
        <translation>die Antwort enthält keine Liste von Schritten</translation>
    </message>
</context>
<context>
    <name>lb::sh::ListSequencesRequest</name>
    <message>
        <source>the answer has no list of sequences</source>
        <translation>die Antwort enthält keine Liste von Sequenzen</translation>
    </message>
</context>
<context>
    <name>lb::sh::ListTasksRequest</name>
    <message>
        <source>the answer has no list of tasks</source>
        <translation>die Antwort enthält keine Liste von Aufgaben</translation>
    </message>
</context>
<context>
    <name>lb::sh::SaleshandyRequest</name>
    <message>
        <source>%1 (Saleshandy code %2)</source>
        <translation>%1 (Saleshandy-Code %2)</translation>
    </message>
    <message>
        <source>Saleshandy refused the API key. Check the key in the settings (Saleshandy → Settings → API) or set it again.</source>
        <translation>Saleshandy hat den API-Schlüssel abgelehnt. Prüfen Sie den Schlüssel in den Einstellungen (Saleshandy → Settings → API), oder legen Sie ihn neu fest.</translation>
    </message>
    <message>
        <source>Saleshandy refused access (HTTP %1): the API key&apos;s user lacks a permission this needs.</source>
        <translation>Saleshandy hat den Zugriff verweigert (HTTP %1): Dem Benutzer des API-Schlüssels fehlt eine dafür nötige Berechtigung.</translation>
    </message>
    <message>
        <source>Saleshandy has no such record (%1): %2</source>
        <translation>Saleshandy hat keinen solchen Datensatz (%1): %2</translation>
    </message>
    <message>
        <source>Saleshandy rejected a value: %1</source>
        <translation>Saleshandy hat einen Wert abgelehnt: %1</translation>
    </message>
    <message>
        <source>Saleshandy refused the request %1 as not acceptable (HTTP 406).</source>
        <translation>Saleshandy hat die Anfrage %1 als nicht annehmbar abgelehnt (HTTP 406).</translation>
    </message>
    <message>
        <source>Saleshandy already has this record (%1): %2</source>
        <translation>Saleshandy hat diesen Datensatz bereits (%1): %2</translation>
    </message>
</context>
<context>
    <name>lb::sh::UpdateNoteRequest</name>
    <message>
        <source>the updated note in the answer has no id</source>
        <translation>die aktualisierte Notiz in der Antwort hat keine ID</translation>
    </message>
</context>
<context>
    <name>lb::sh::UpdateProspectAttributesRequest</name>
    <message>
        <source>the answer has no per-field results</source>
        <translation>die Antwort enthält keine Ergebnisse je Feld</translation>
    </message>
</context>
<context>
    <name>relativeAge</name>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>1 minute ago</source>
        <translation>vor 1 Minute</translation>
    </message>
    <message>
        <source>%1 minutes ago</source>
        <translation>vor %1 Minuten</translation>
    </message>
    <message>
        <source>1 hour ago</source>
        <translation>vor 1 Stunde</translation>
    </message>
    <message>
        <source>%1 hours ago</source>
        <translation>vor %1 Stunden</translation>
    </message>
    <message>
        <source>1 day ago</source>
        <translation>vor 1 Tag</translation>
    </message>
    <message>
        <source>%1 days ago</source>
        <translation>vor %1 Tagen</translation>
    </message>
</context>
</TS>
