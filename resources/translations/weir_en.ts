<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AlertNotifier</name>
    <message numerus="yes">
        <source>Weir: %n alerts</source>
        <translation>
            <numerusform>Weir: %n alert</numerusform>
            <numerusform>Weir: %n alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlertsPane</name>
    <message numerus="yes">
        <source>Alerts (%n active)</source>
        <translation>
            <numerusform>Alerts (%n active)</numerusform>
            <numerusform>Alerts (%n active)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n active</source>
        <translation>
            <numerusform>%n active</numerusform>
            <numerusform>%n active</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n in the log</source>
        <translation>
            <numerusform>%n in the log</numerusform>
            <numerusform>%n in the log</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClaimDialog</name>
    <message numerus="yes">
        <source>Claim %Ln pending entries</source>
        <translation>
            <numerusform>Claim %Ln pending entry</numerusform>
            <numerusform>Claim %Ln pending entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClusterNodesModel</name>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommandLogDock</name>
    <message numerus="yes">
        <source>%Ln entries</source>
        <translation>
            <numerusform>%Ln entry</numerusform>
            <numerusform>%Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DashboardModel</name>
    <message numerus="yes">
        <source>Lag over the last %n ticks: from %1 to %2</source>
        <translation>
            <numerusform>Lag over the last %n tick: from %1 to %2</numerusform>
            <numerusform>Lag over the last %n ticks: from %1 to %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message numerus="yes">
        <source>%Ln streams</source>
        <translation>
            <numerusform>%Ln stream</numerusform>
            <numerusform>%Ln streams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(and %Ln dead-letter streams, counted in their sources&apos; Dead letters)</source>
        <translation>
            <numerusform>(and %Ln dead-letter stream, counted in its source&apos;s Dead letters)</numerusform>
            <numerusform>(and %Ln dead-letter streams, counted in their sources&apos; Dead letters)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups watched</source>
        <translation>
            <numerusform>%Ln group watched</numerusform>
            <numerusform>%Ln groups watched</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>showing %1 of %Ln rows</source>
        <translation>
            <numerusform>showing %1 of %Ln row</numerusform>
            <numerusform>showing %1 of %Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln ticks failed</source>
        <translation>
            <numerusform>%Ln tick failed</numerusform>
            <numerusform>%Ln ticks failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeadLetterFieldsDialog</name>
    <message numerus="yes">
        <source>%1 of the %n dead letters sampled have at least one of these metadata fields.</source>
        <translation>
            <numerusform>%1 of the %n dead letter sampled has at least one of these metadata fields.</numerusform>
            <numerusform>%1 of the %n dead letters sampled have at least one of these metadata fields.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeadLetterModel</name>
    <message numerus="yes">
        <source>binary, %n bytes</source>
        <translation>
            <numerusform>binary, %n byte</numerusform>
            <numerusform>binary, %n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeadLetterSettingsDialog</name>
    <message numerus="yes">
        <source>None of the %n streams listed pairs up under these patterns.</source>
        <translation>
            <numerusform>None of the %n stream listed pairs up under these patterns.</numerusform>
            <numerusform>None of the %n streams listed pairs up under these patterns.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeadLetterView</name>
    <message numerus="yes">
        <source>None of the %n dead letters read has a field these dead letters are read with (%1), so the table cannot say where they came from or why they failed. Detect finds the names they use.</source>
        <translation>
            <numerusform>None of the %n dead letter read has a field these dead letters are read with (%1), so the table cannot say where they came from or why they failed. Detect finds the names they use.</numerusform>
            <numerusform>None of the %n dead letters read has a field these dead letters are read with (%1), so the table cannot say where they came from or why they failed. Detect finds the names they use.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dead letters shown</source>
        <translation>
            <numerusform>%n dead letter shown</numerusform>
            <numerusform>%n dead letters shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n selected</source>
        <translation>
            <numerusform> · %n selected</numerusform>
            <numerusform> · %n selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message numerus="yes">
        <source>%1 of %Ln entries written…</source>
        <translation>
            <numerusform>%1 of %Ln entry written…</numerusform>
            <numerusform>%1 of %Ln entries written…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries written…</source>
        <translation>
            <numerusform>%Ln entry written…</numerusform>
            <numerusform>%Ln entries written…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln of the chosen entries are no longer in the stream.</source>
        <translation>
            <numerusform>%Ln of the chosen entries is no longer in the stream.</numerusform>
            <numerusform>%Ln of the chosen entries are no longer in the stream.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %Ln selected entries</source>
        <translation>
            <numerusform>The %Ln selected entry</numerusform>
            <numerusform>The %Ln selected entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Exported %Ln entries&lt;/b&gt; to %1 (%2).</source>
        <translation>
            <numerusform>&lt;b&gt;Exported %Ln entry&lt;/b&gt; to %1 (%2).</numerusform>
            <numerusform>&lt;b&gt;Exported %Ln entries&lt;/b&gt; to %1 (%2).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsPane</name>
    <message numerus="yes">
        <source>Delivery counts of all %n pending entries that match the filter</source>
        <translation>
            <numerusform>Delivery count of the %n pending entry that matches the filter</numerusform>
            <numerusform>Delivery counts of all %n pending entries that match the filter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delivery counts of all %n pending entries</source>
        <translation>
            <numerusform>Delivery count of the %n pending entry</numerusform>
            <numerusform>Delivery counts of all %n pending entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delivery counts of the %n entries loaded that match the filter</source>
        <translation>
            <numerusform>Delivery count of the %n entry loaded that matches the filter</numerusform>
            <numerusform>Delivery counts of the %n entries loaded that match the filter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delivery counts of the %n entries loaded</source>
        <translation>
            <numerusform>Delivery count of the %n entry loaded</numerusform>
            <numerusform>Delivery counts of the %n entries loaded</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, of %n pending</source>
        <translation>
            <numerusform>, of %n pending</numerusform>
            <numerusform>, of %n pending</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, of %n pending in the group</source>
        <translation>
            <numerusform>, of %n pending in the group</numerusform>
            <numerusform>, of %n pending in the group</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ack %Ln entries</source>
        <translation>
            <numerusform>Ack %Ln entry</numerusform>
            <numerusform>Ack %Ln entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Acknowledge %Ln pending entries of group &lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt;. They leave the group&apos;s pending list and are not delivered to its consumers again; the entries stay in the stream.</source>
        <translation>
            <numerusform>Acknowledge %Ln pending entry of group &lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt;. It leaves the group&apos;s pending list and is not delivered to its consumers again; the entry stays in the stream.</numerusform>
            <numerusform>Acknowledge %Ln pending entries of group &lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt;. They leave the group&apos;s pending list and are not delivered to its consumers again; the entries stay in the stream.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Claim %Ln pending entries of group &lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt; for consumer &lt;b&gt;%3&lt;/b&gt;: they become its pending entries</source>
        <translation>
            <numerusform>Claim %Ln pending entry of group &lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt; for consumer &lt;b&gt;%3&lt;/b&gt;: it becomes its pending entry</numerusform>
            <numerusform>Claim %Ln pending entries of group &lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt; for consumer &lt;b&gt;%3&lt;/b&gt;: they become its pending entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Claim %Ln entries</source>
        <translation>
            <numerusform>Claim %Ln entry</numerusform>
            <numerusform>Claim %Ln entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 claimed, %Ln deleted entries dropped so far</source>
        <translation>
            <numerusform>%1 claimed, %Ln deleted entry dropped so far</numerusform>
            <numerusform>%1 claimed, %Ln deleted entries dropped so far</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Claimed for %1: %Ln entries&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;Claimed for %1: %Ln entry&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;Claimed for %1: %Ln entries&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %Ln calls.</source>
        <translation>
            <numerusform> in %Ln call.</numerusform>
            <numerusform> in %Ln calls.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>It delivers the %Ln entries after that, then every entry added.</source>
        <translation>
            <numerusform>It delivers the %Ln entry after that, then every entry added.</numerusform>
            <numerusform>It delivers the %Ln entries after that, then every entry added.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;br&gt;That steps over %Ln entries.</source>
        <translation>
            <numerusform>&lt;br&gt;That steps over %Ln entry.</numerusform>
            <numerusform>&lt;br&gt;That steps over %Ln entries.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln consumers</source>
        <translation>
            <numerusform>%Ln consumer</numerusform>
            <numerusform>%Ln consumers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending entries</source>
        <translation>
            <numerusform>%Ln pending entry</numerusform>
            <numerusform>%Ln pending entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message numerus="yes">
        <source>%Ln entries, ids %1 … %2.</source>
        <translation>
            <numerusform>%Ln entry, ids %1 … %2.</numerusform>
            <numerusform>%Ln entries, ids %1 … %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Imported %Ln entries&lt;/b&gt; into &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;Imported %Ln entry&lt;/b&gt; into &lt;b&gt;%1&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;Imported %Ln entries&lt;/b&gt; into &lt;b&gt;%1&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not imported: %Ln entries%1.</source>
        <translation>
            <numerusform>Not imported: %Ln entry%1.</numerusform>
            <numerusform>Not imported: %Ln entries%1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Unknown: %Ln entries were sent when the connection failed; look at the stream before importing again.</source>
        <translation>
            <numerusform>Unknown: %Ln entry was sent when the connection failed; look at the stream before importing again.</numerusform>
            <numerusform>Unknown: %Ln entries were sent when the connection failed; look at the stream before importing again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Add %Ln entries from %1 to &lt;b&gt;%2&lt;/b&gt;, %3.</source>
        <translation>
            <numerusform>Add %Ln entry from %1 to &lt;b&gt;%2&lt;/b&gt;, %3.</numerusform>
            <numerusform>Add %Ln entries from %1 to &lt;b&gt;%2&lt;/b&gt;, %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Import %Ln entries</source>
        <translation>
            <numerusform>Import %Ln entry</numerusform>
            <numerusform>Import %Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Every %n s</source>
        <translation>
            <numerusform>Every %n s</numerusform>
            <numerusform>Every %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Auto-refresh: %n s</source>
        <translation>
            <numerusform>Auto-refresh: %n s</numerusform>
            <numerusform>Auto-refresh: %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MoveDeadLettersDialog</name>
    <message numerus="yes">
        <source>The %Ln &amp;selected pending entries</source>
        <translation>
            <numerusform>The %Ln &amp;selected pending entry</numerusform>
            <numerusform>The %Ln &amp;selected pending entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln entries</source>
        <translation>
            <numerusform>Move %Ln entry</numerusform>
            <numerusform>Move %Ln entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending entries</source>
        <translation>
            <numerusform>%Ln pending entry</numerusform>
            <numerusform>%Ln pending entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries</source>
        <translation>
            <numerusform>%Ln entry</numerusform>
            <numerusform>%Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NodesView</name>
    <message numerus="yes">
        <source>%Ln masters</source>
        <translation>
            <numerusform>%Ln master</numerusform>
            <numerusform>%Ln masters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln replicas</source>
        <translation>
            <numerusform>%Ln replica</numerusform>
            <numerusform>%Ln replicas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln nodes failed</source>
        <translation>
            <numerusform>%Ln node failed</numerusform>
            <numerusform>%Ln nodes failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln streams</source>
        <translation>
            <numerusform>%Ln stream</numerusform>
            <numerusform>%Ln streams</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message numerus="yes">
        <source>Publish %Ln copies of this entry to &lt;b&gt;%1&lt;/b&gt;%2.</source>
        <translation>
            <numerusform>Publish %Ln copy of this entry to &lt;b&gt;%1&lt;/b&gt;%2.</numerusform>
            <numerusform>Publish %Ln copies of this entry to &lt;b&gt;%1&lt;/b&gt;%2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Publish %Ln entries</source>
        <translation>
            <numerusform>Publish %Ln entry</numerusform>
            <numerusform>Publish %Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RedriveDialog</name>
    <message numerus="yes">
        <source>Counting… %Ln entries read</source>
        <translation>
            <numerusform>Counting… %Ln entry read</numerusform>
            <numerusform>Counting… %Ln entries read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln entries&lt;/b&gt; in the range would be copied.</source>
        <translation>
            <numerusform>&lt;b&gt;%Ln entry&lt;/b&gt; in the range would be copied.</numerusform>
            <numerusform>&lt;b&gt;%Ln entries&lt;/b&gt; in the range would be copied.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copy &lt;b&gt;%Ln entries&lt;/b&gt; of &lt;b&gt;%1&lt;/b&gt; (%2 to %3) to &lt;b&gt;%4&lt;/b&gt;, each with a new id and its fields unchanged. %1 is left as it is.</source>
        <translation>
            <numerusform>Copy &lt;b&gt;%Ln entry&lt;/b&gt; of &lt;b&gt;%1&lt;/b&gt; (%2 to %3) to &lt;b&gt;%4&lt;/b&gt;, each with a new id and its fields unchanged. %1 is left as it is.</numerusform>
            <numerusform>Copy &lt;b&gt;%Ln entries&lt;/b&gt; of &lt;b&gt;%1&lt;/b&gt; (%2 to %3) to &lt;b&gt;%4&lt;/b&gt;, each with a new id and its fields unchanged. %1 is left as it is.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copy %Ln entries</source>
        <translation>
            <numerusform>Copy %Ln entry</numerusform>
            <numerusform>Copy %Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReplayDialog</name>
    <message numerus="yes">
        <source>%n more streams</source>
        <translation>
            <numerusform>%n more stream</numerusform>
            <numerusform>%n more streams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Goes to %1 as a new entry with %n fields:</source>
        <translation>
            <numerusform>Goes to %1 as a new entry with %n field:</numerusform>
            <numerusform>Goes to %1 as a new entry with %n fields:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln dead letters read.</source>
        <translation>
            <numerusform>%Ln dead letter read.</numerusform>
            <numerusform>%Ln dead letters read.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln of the selected are no longer in the dead-letter stream.</source>
        <translation>
            <numerusform>%Ln of the selected is no longer in the dead-letter stream.</numerusform>
            <numerusform>%Ln of the selected are no longer in the dead-letter stream.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln copies</source>
        <translation>
            <numerusform>%Ln copy</numerusform>
            <numerusform>%Ln copies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln dead letters</source>
        <translation>
            <numerusform>%Ln dead letter</numerusform>
            <numerusform>%Ln dead letters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln dead letters&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;%Ln dead letter&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;%Ln dead letters&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln dead letters are left out (the report says why).</source>
        <translation>
            <numerusform>%Ln dead letter is left out (the report says why).</numerusform>
            <numerusform>%Ln dead letters are left out (the report says why).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Replay %Ln dead letters</source>
        <translation>
            <numerusform>Replay %Ln dead letter</numerusform>
            <numerusform>Replay %Ln dead letters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPane</name>
    <message numerus="yes">
        <source>%Ln entries</source>
        <translation>
            <numerusform>%Ln entry</numerusform>
            <numerusform>%Ln entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln matches</source>
        <translation>
            <numerusform>%Ln match</numerusform>
            <numerusform>%Ln matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SetPositionDialog</name>
    <message numerus="yes">
        <source>, %Ln entries to deliver</source>
        <translation>
            <numerusform>, %Ln entry to deliver</numerusform>
            <numerusform>, %Ln entries to deliver</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamInspector</name>
    <message numerus="yes">
        <source>%n groups</source>
        <translation>
            <numerusform>%n group</numerusform>
            <numerusform>%n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries shown</source>
        <translation>
            <numerusform>%n entry shown</numerusform>
            <numerusform>%n entries shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln entries from &lt;b&gt;%1&lt;/b&gt;. XDEL cannot be undone.</source>
        <translation>
            <numerusform>Delete %Ln entry from &lt;b&gt;%1&lt;/b&gt;. XDEL cannot be undone.</numerusform>
            <numerusform>Delete %Ln entries from &lt;b&gt;%1&lt;/b&gt;. XDEL cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %Ln entries</source>
        <translation>
            <numerusform>Delete %Ln entry</numerusform>
            <numerusform>Delete %Ln entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1  (%Ln bytes)</source>
        <translation>
            <numerusform>%1  (%Ln byte)</numerusform>
            <numerusform>%1  (%Ln bytes)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; · %Ln bytes</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; · %Ln byte</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; · %Ln bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln bytes decoded</source>
        <translation>
            <numerusform> · %Ln byte decoded</numerusform>
            <numerusform> · %Ln bytes decoded</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamListModel</name>
    <message numerus="yes">
        <source>%Ln dead letters in %1</source>
        <translation>
            <numerusform>%Ln dead letter in %1</numerusform>
            <numerusform>%Ln dead letters in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StreamsPane</name>
    <message numerus="yes">
        <source>%n streams</source>
        <translation>
            <numerusform>%n stream</numerusform>
            <numerusform>%n streams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n streams</source>
        <translation>
            <numerusform>%1 of %n stream</numerusform>
            <numerusform>%1 of %n streams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scanning… %Ln streams</source>
        <translation>
            <numerusform>Scanning… %Ln stream</numerusform>
            <numerusform>Scanning… %Ln streams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scan cancelled after %Ln streams</source>
        <translation>
            <numerusform>Scan cancelled after %Ln stream</numerusform>
            <numerusform>Scan cancelled after %Ln streams</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrimDialog</name>
    <message numerus="yes">
        <source>Nothing to remove: all %Ln entries are within the limit.</source>
        <translation>
            <numerusform>Nothing to remove: the %Ln entry is within the limit.</numerusform>
            <numerusform>Nothing to remove: all %Ln entries are within the limit.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries beyond the target remain: ~ removes whole nodes only, and they share a node with entries that stay (a node holds up to stream-node-max-entries entries, 100 by default). Trim with = to remove them too.</source>
        <translation>
            <numerusform>%Ln entry beyond the target remains: ~ removes whole nodes only, and it shares a node with entries that stay (a node holds up to stream-node-max-entries entries, 100 by default). Trim with = to remove it too.</numerusform>
            <numerusform>%Ln entries beyond the target remain: ~ removes whole nodes only, and they share a node with entries that stay (a node holds up to stream-node-max-entries entries, 100 by default). Trim with = to remove them too.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln entries</source>
        <translation>
            <numerusform>%Ln entry</numerusform>
            <numerusform>%Ln entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Counting… %Ln entries read</source>
        <translation>
            <numerusform>Counting… %Ln entry read</numerusform>
            <numerusform>Counting… %Ln entries read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Removed %Ln entries&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;Removed %Ln entry&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;Removed %Ln entries&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 in %Ln calls.</source>
        <translation>
            <numerusform>%1 in %Ln call.</numerusform>
            <numerusform>%1 in %Ln calls.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Trim %Ln entries</source>
        <translation>
            <numerusform>Trim %Ln entry</numerusform>
            <numerusform>Trim %Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ValueDecoder</name>
    <message numerus="yes">
        <source>more than %n strings inside hold encoded data: the rest are shown as stored</source>
        <translation>
            <numerusform>more than %n string inside holds encoded data: the rest are shown as stored</numerusform>
            <numerusform>more than %n strings inside hold encoded data: the rest are shown as stored</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, with %n strings inside decoded</source>
        <translation>
            <numerusform>%1, with %n string inside decoded</numerusform>
            <numerusform>%1, with %n strings inside decoded</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>weirctl</name>
    <message numerus="yes">
        <source>%n pending entries</source>
        <translation>
            <numerusform>%n pending entry</numerusform>
            <numerusform>%n pending entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n commands</source>
        <translation>
            <numerusform>%n command</numerusform>
            <numerusform>%n commands</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>for %n ids</source>
        <translation>
            <numerusform>for %n id</numerusform>
            <numerusform>for %n ids</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n chunks</source>
        <translation>
            <numerusform>in %n chunk</numerusform>
            <numerusform>in %n chunks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>of %n ids</source>
        <translation>
            <numerusform>of %n id</numerusform>
            <numerusform>of %n ids</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>of %n ids done</source>
        <translation>
            <numerusform>of %n id done</numerusform>
            <numerusform>of %n ids done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n streams</source>
        <translation>
            <numerusform>%n stream</numerusform>
            <numerusform>%n streams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n groups</source>
        <translation>
            <numerusform>%n group</numerusform>
            <numerusform>%n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deleted entries dropped</source>
        <translation>
            <numerusform>%n deleted entry dropped</numerusform>
            <numerusform>%n deleted entries dropped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries claimed</source>
        <translation>
            <numerusform>%n entry claimed</numerusform>
            <numerusform>%n entries claimed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n calls</source>
        <translation>
            <numerusform>%n call</numerusform>
            <numerusform>%n calls</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending entries dropped</source>
        <translation>
            <numerusform>%n pending entry dropped</numerusform>
            <numerusform>%n pending entries dropped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more entries may have been claimed</source>
        <translation>
            <numerusform>%n more entry may have been claimed</numerusform>
            <numerusform>%n more entries may have been claimed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>of %n entries written</source>
        <translation>
            <numerusform>of %n entry written</numerusform>
            <numerusform>of %n entries written</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries written</source>
        <translation>
            <numerusform>%n entry written</numerusform>
            <numerusform>%n entries written</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries read</source>
        <translation>
            <numerusform>%n entry read</numerusform>
            <numerusform>%n entries read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chunks at once</source>
        <translation>
            <numerusform>%n chunk at once</numerusform>
            <numerusform>%n chunks at once</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>of %n entries added</source>
        <translation>
            <numerusform>of %n entry added</numerusform>
            <numerusform>of %n entries added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>delivered at least %n times</source>
        <translation>
            <numerusform>delivered at least %n time</numerusform>
            <numerusform>delivered at least %n times</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries a second</source>
        <translation>
            <numerusform>%n entry a second</numerusform>
            <numerusform>%n entries a second</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Replay %n dead letters from %1 to %2.
</source>
        <translation>
            <numerusform>Replay %n dead letter from %1 to %2.
</numerusform>
            <numerusform>Replay %n dead letters from %1 to %2.
</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only the first %n dead letters were read: run again for the rest.
</source>
        <translation>
            <numerusform>Only the first %n dead letter was read: run again for the rest.
</numerusform>
            <numerusform>Only the first %n dead letters were read: run again for the rest.
</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n streams listed</source>
        <translation>
            <numerusform>%n stream listed</numerusform>
            <numerusform>%n streams listed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to remove: all %n entries of %1 are within the limit.
</source>
        <translation>
            <numerusform>Nothing to remove: the %n entry of %1 is within the limit.
</numerusform>
            <numerusform>Nothing to remove: all %n entries of %1 are within the limit.
</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Up to %1 of %n entries go (~ removes whole nodes only, so a few of them may stay)</source>
        <translation>
            <numerusform>Up to %1 of %n entry goes (~ removes whole nodes only, so it may stay)</numerusform>
            <numerusform>Up to %1 of %n entries go (~ removes whole nodes only, so a few of them may stay)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n entries go</source>
        <translation>
            <numerusform>%1 of %n entry goes</numerusform>
            <numerusform>%1 of %n entries go</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>WARNING: %1 of its %n pending entries would point at deleted entries (ack or claim them first, or move them to a dead-letter stream)</source>
        <translation>
            <numerusform>WARNING: %1 of its %n pending entry would point at a deleted entry (ack or claim it first, or move it to a dead-letter stream)</numerusform>
            <numerusform>WARNING: %1 of its %n pending entries would point at deleted entries (ack or claim them first, or move them to a dead-letter stream)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>of about %n entries removed</source>
        <translation>
            <numerusform>of about %n entry removed</numerusform>
            <numerusform>of about %n entries removed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries removed</source>
        <translation>
            <numerusform>%n entry removed</numerusform>
            <numerusform>%n entries removed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries beyond the target remain</source>
        <translation>
            <numerusform>%n entry beyond the target remains</numerusform>
            <numerusform>%n entries beyond the target remain</numerusform>
        </translation>
    </message>
</context>
</TS>
