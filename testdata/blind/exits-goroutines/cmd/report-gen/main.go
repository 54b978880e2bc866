// Command report-gen is a batch job: it reads the day's usage records and
// prints a per-tenant summary, then returns.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
)

type usage struct {
	Tenant string `json:"tenant"`
	Bytes  int64  `json:"bytes"`
}

func main() {
	in := flag.String("in", "/var/lib/usage/today.ndjson", "usage records")
	flag.Parse()

	f, err := os.Open(*in)
	if err != nil {
		log.Fatalf("report-gen: %v", err) // ok: nothing deferred yet
	}
	defer f.Close()

	totals := make(map[string]int64)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var u usage
		if err := json.Unmarshal(sc.Bytes(), &u); err != nil {
			log.Printf("report-gen: skipping bad record: %v", err)
			continue
		}
		totals[u.Tenant] += u.Bytes
	}
	if err := sc.Err(); err != nil {
		log.Printf("report-gen: %v", err)
		return
	}
	tenants := make([]string, 0, len(totals))
	for t := range totals {
		tenants = append(tenants, t)
	}
	sort.Strings(tenants)
	for _, t := range tenants {
		fmt.Printf("%-24s %12d\n", t, totals[t])
	}
}
