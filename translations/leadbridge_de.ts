<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
        <source>The contact list arrives with the GHL client.</source>
        <translation>Die Kontaktliste kommt mit dem GHL-Client.</translation>
    </message>
    <message>
        <source>The contacts of your GHL location will be listed here. Search and filter them, and open one to see its tasks, notes and appointments and what was last sent to Saleshandy.</source>
        <translation>Hier werden die Kontakte Ihrer GHL-Location aufgelistet. Sie können sie durchsuchen und filtern und einen Kontakt öffnen, um seine Aufgaben, Notizen und Termine zu sehen und was zuletzt an Saleshandy gesendet wurde.</translation>
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
</context>
<context>
    <name>lb::ApiError</name>
    <message>
        <source>request %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trace %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ApiRequest</name>
    <message>
        <source>The request to %1 was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The daily %1 request budget is spent; nothing more can be sent until it resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer within %2 seconds (%3 attempts).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be reached at %2. Check the network connection and the service address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the JSON is invalid at byte %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sent a response LeadBridge could not read: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 kept refusing requests as over its rate limit; gave up after %2 waits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the credentials (HTTP 401). Check the token or API key, or connect again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused access (HTTP 403). The token may lack a permission this needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no such record (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected a value in the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected a value: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 had a problem of its own (HTTP %2) and did not recover after %3 attempts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected the request %2 (HTTP %3).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ContactStore</name>
    <message>
        <source>The local database could not prepare a query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local database could not read or update records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the contact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A contact without an id cannot be stored; nothing of this page was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not start writing to the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the task %1 of the contact %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the note %1 of the contact %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the appointment %1 of the contact %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save where the pull of location %1 stands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not commit the pulled contacts to the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot remove the contacts missed by a full pull without the id of that pull.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the contacts deleted in GHL from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read where the pull of location %1 stands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the custom field definitions of location %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the custom field definitions of location %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the contacts from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not count the contacts in the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the contact %1 from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the tasks of the contact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the notes of the contact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the appointments of the contact %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A contact without an id cannot be stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the contact %1 from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the task %1 from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the note %1 from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not remove the appointment %1 from the local database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the custom field values of the contact %1</source>
        <translation type="unfinished"></translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the folder %1 for the local database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the local database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file %1 is not a usable SQLite database (%2). Choose another file or move this one away.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database address %1 is not a valid PostgreSQL URL; expected postgresql://user:password@host:port/database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL support is missing from this installation (Qt&apos;s QPSQL driver); install the package libqt6sql6-psql.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database address %1 has an unknown parameter &quot;%2&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The schema name &quot;%1&quot; in the database address is not valid: use letters, digits and underscores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect to the PostgreSQL database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not prepare the PostgreSQL database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not start updating the database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not lock the database %1 for its update: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the schema version of the database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database %1 has schema version %2, but this LeadBridge knows schema version %3 at most: it was written by a newer LeadBridge. Update LeadBridge to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not finish checking the database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not update the database %1 to schema version %3: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not record schema version %3 in the database %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::GhlPull</name>
    <message>
        <source>The local store could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom field definitions were not updated: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom field definitions could not be stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A contact on search page %1 was skipped: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact %1 disappeared while it was being read; the next pull will see.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact %1 was left for the next pull: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The local store could not be written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts deleted in GHL could not be removed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pull cursor could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pull was cancelled; what was read so far is kept and the next pull continues from there.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ghl</name>
    <message>
        <source>the answer has no list of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the answer has no %1 object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the %1 in the answer has no id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the service answered that it did not succeed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the answer has no contact object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the contact in the answer has no id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the answer has no list of tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ghl::ContactsByBusinessRequest</name>
    <message>
        <source>the answer has no list of contacts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ghl::ListCustomFieldsRequest</name>
    <message>
        <source>the answer has no list of custom fields</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ghl::OAuthTokenProvider</name>
    <message>
        <source>Renewing the GHL access token failed: %1 Connect the account again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ghl::SearchContactsRequest</name>
    <message>
        <source>the search answer has no list of contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>item %1 of the page is not a contact object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>item %1 of the page has no contact id</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lb::ghl::TokenRequest</name>
    <message>
        <source>the token answer has no access token</source>
        <translation type="unfinished"></translation>
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
</context>
</TS>
