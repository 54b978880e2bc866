// Command wfreplay replays a history directory through the workflow state
// machine and reports executions that fail to rebuild.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"sort"

	"example.com/wfengine/internal/history"
	"example.com/wfengine/internal/workflow"
)

func main() {
	dir := flag.String("dir", "./data/history", "history directory")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatalf("wfreplay: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatalf("wfreplay: %v", err)
		}
		defer pprof.StopCPUProfile()
	}

	n, bad, err := replay(*dir)
	if err != nil || len(bad) > 0 {
		log.Fatalf("wfreplay: %d events, broken executions %v: %v", n, bad, err) // HAZ exit-skips-defer
	}
	fmt.Printf("replayed %d events, all executions consistent\n", n)
}

// replay streams the history and applies each event to its execution,
// collecting the executions whose history is inconsistent.
func replay(dir string) (int, []string, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, errc := history.Stream(ctx, dir)

	execs := make(map[string]*workflow.Execution)
	broken := make(map[string]bool)
	n := 0
	for ev := range events {
		n++
		if broken[ev.WorkflowID] {
			continue
		}
		ex, ok := execs[ev.WorkflowID]
		if !ok {
			ex = &workflow.Execution{ID: ev.WorkflowID}
			execs[ev.WorkflowID] = ex
		}
		if err := ex.Apply(ev); err != nil {
			broken[ev.WorkflowID] = true
		}
	}
	if err := <-errc; err != nil {
		return n, nil, err
	}
	ids := make([]string, 0, len(broken))
	for id := range broken {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return n, ids, nil
}
