// Command lagcheck compares a group's stored offsets with a snapshot of
// the log end offsets and fails when a partition lags too far behind. It
// runs from cron and its table goes to the on-call channel.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"text/tabwriter"

	"example.com/consumer/broker"
	"example.com/consumer/offsets"
)

func main() {
	dir := flag.String("dir", "offsets", "offsets directory")
	grp := flag.String("group", "", "consumer group")
	endsPath := flag.String("ends", "log-ends.json", "log end offsets snapshot ({\"topic-N\": end})")
	maxLag := flag.Int64("max", 10000, "largest acceptable lag")
	flag.Parse()

	offs, err := offsets.NewFileStore(*dir).Load(*grp)
	if err != nil {
		log.Fatalf("load offsets: %v", err)
	}
	ends, err := loadEnds(*endsPath)
	if err != nil {
		log.Fatalf("load log ends: %v", err)
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	fmt.Fprintln(tw, "PARTITION\tCOMMITTED\tEND\tLAG")
	worst := int64(0)
	for _, tp := range sortedKeys(ends) {
		lag := ends[tp] - offs[tp]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", tp, offs[tp], ends[tp], lag)
		worst = max(worst, lag)
	}
	if worst > *maxLag {
		log.Fatalf("lag %d exceeds the limit of %d", worst, *maxLag) // HAZ exit-skips-defer
	}
}

func loadEnds(path string) (map[broker.TopicPartition]int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]int64
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[broker.TopicPartition]int64, len(raw))
	for k, v := range raw {
		tp, err := broker.ParseTopicPartition(k)
		if err != nil {
			return nil, err
		}
		out[tp] = v
	}
	return out, nil
}

func sortedKeys(m map[broker.TopicPartition]int64) []broker.TopicPartition {
	out := make([]broker.TopicPartition, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
