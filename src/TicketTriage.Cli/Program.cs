// The `triage` command. Each subcommand lives in its own file under Commands/.
Console.WriteLine("triage: commands are being added (train, eval, import, replay, bench)");
