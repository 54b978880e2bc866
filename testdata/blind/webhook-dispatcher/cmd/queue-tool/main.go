// Command queue-tool inspects and maintains a dispatcher queue log offline
// (the dispatcher must be stopped).
//
//	queue-tool stats   QUEUE
//	queue-tool export  QUEUE OUT.jsonl
//	queue-tool backup  QUEUE OUT.jsonl.gz
//	queue-tool import  QUEUE IN.jsonl
//	queue-tool compact QUEUE
package main

import (
	"fmt"
	"log"
	"os"
	"time"

	"example.com/webhooks/internal/queue"
)

const usageText = "usage: queue-tool stats|export|backup|import|compact QUEUE [FILE]"

// arity is the number of FILE arguments of each command.
var arity = map[string]int{"stats": 0, "export": 1, "backup": 1, "import": 1, "compact": 0}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "queue-tool: "+format+"\n", args...)
	os.Exit(1)
}

func realMain(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, usageText)
		return 2
	}
	cmd, path, rest := args[0], args[1], args[2:]
	if n, ok := arity[cmd]; !ok || len(rest) != n {
		fmt.Fprintln(os.Stderr, usageText)
		return 2
	}
	if _, err := os.Stat(path); err != nil && cmd != "import" {
		die("%v", err)
	}
	q, err := queue.Open(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "queue-tool: %v\n", err)
		return 1
	}
	defer func() {
		if err := q.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "queue-tool: close: %v\n", err)
		}
	}()

	switch cmd {
	case "stats":
		printStats(q)
	case "export":
		exportCmd(q, rest[0])
	case "backup":
		if err := q.ExportCompressed(rest[0]); err != nil {
			fmt.Fprintf(os.Stderr, "queue-tool: backup: %v\n", err)
			return 1
		}
	case "import":
		n, err := q.ImportFile(rest[0])
		if err != nil {
			fmt.Fprintf(os.Stderr, "queue-tool: import: %v (after %d items)\n", err, n)
			return 1
		}
		fmt.Printf("imported %d items\n", n)
	case "compact":
		before := q.Len()
		if err := q.Compact(); err != nil {
			log.Fatalf("compact %s: %v", path, err) // HAZ exit-skips-defer
		}
		fmt.Printf("compacted %s: %d pending items kept\n", path, before)
	}
	return 0
}

func printStats(q *queue.Queue) {
	items := q.Snapshot()
	fmt.Printf("pending: %d\n", len(items))
	if len(items) == 0 {
		return
	}
	oldest := items[0].Delivery.CreatedAt
	fmt.Printf("oldest:  %s (%s ago)\n", oldest.Format(time.RFC3339), time.Since(oldest).Round(time.Second))
	perTenant := make(map[string]int)
	for _, it := range items {
		perTenant[it.Delivery.TenantID]++
	}
	for tenant, n := range perTenant {
		fmt.Printf("  %-24s %d\n", tenant, n)
	}
}

// exportCmd writes the pending items to out via a temp file, so that a
// failed export never leaves a truncated file behind.
func exportCmd(q *queue.Queue, out string) {
	tmp := out + ".partial"
	defer os.Remove(tmp)
	if err := q.ExportPending(tmp); err != nil {
		die("export %s: %v", out, err) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp, out); err != nil {
		fmt.Fprintf(os.Stderr, "queue-tool: %v\n", err)
		return
	}
	fmt.Printf("exported %d items to %s\n", q.Len(), out)
}
