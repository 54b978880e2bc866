// Command statusdump prints the status files written by the operator.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"

	"example.com/fah25/internal/status"
)

func usage(msg string) {
	fmt.Fprintln(os.Stderr, "statusdump:", msg)
	flag.Usage()
	os.Exit(2)
}

func render(rec status.Record, format string) (string, error) {
	switch format {
	case "json":
		b, err := json.Marshal(rec)
		if err != nil {
			return "", err
		}
		return string(b) + "\n", nil
	case "text":
		if rec.Name == "" {
			return "", fmt.Errorf("record without a name")
		}
		return fmt.Sprintf("%-30s %-12s %3d ready  gen %d\n",
			rec.Namespace+"/"+rec.Name, rec.Status.Phase, rec.Status.ReadyReplicas, rec.Generation), nil
	}
	return "", fmt.Errorf("unknown format %q", format)
}

func main() {
	dir := flag.String("dir", "status", "status directory")
	format := flag.String("format", "text", "output format: text or json")
	flag.Parse()
	if *format != "text" && *format != "json" {
		usage("unknown format " + *format)
	}
	records, err := status.LoadAll(*dir)
	if err != nil {
		log.Fatalf("statusdump: %v", err)
	}

	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, "statusdump:", err)
		}
	}()
	for _, rec := range records {
		line, err := render(rec, *format)
		if err != nil {
			log.Fatalf("statusdump: %s/%s: %v", rec.Namespace, rec.Name, err) // HAZ exit-skips-defer
		}
		if _, err := out.WriteString(line); err != nil {
			return
		}
	}
}
