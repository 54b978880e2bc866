package settlement

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Ack is the bank's answer to one uploaded batch.
type Ack struct {
	BatchID  string
	Accepted bool
	Reason   string
}

// Inbox watches the directory where the bank drops acknowledgement files.
type Inbox struct {
	Dir   string
	Every time.Duration
	Log   *log.Logger
	Acks  chan<- Ack

	seen map[string]bool
}

// parseAck reads "batch_id,ACCEPTED" or "batch_id,REJECTED,reason".
func parseAck(r io.Reader) (Ack, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		return Ack{}, err
	}
	if len(rec) < 2 {
		return Ack{}, errors.New("settlement: ack needs at least two fields")
	}
	ack := Ack{BatchID: rec[0]}
	switch strings.ToUpper(rec[1]) {
	case "ACCEPTED":
		ack.Accepted = true
	case "REJECTED":
		if len(rec) > 2 {
			ack.Reason = rec[2]
		}
	default:
		return Ack{}, fmt.Errorf("settlement: unknown ack status %q", rec[1])
	}
	return ack, nil
}

// nextUnseen returns the oldest .ack file not handed out yet.
func (in *Inbox) nextUnseen() (string, bool) {
	if in.seen == nil {
		in.seen = make(map[string]bool)
	}
	entries, err := os.ReadDir(in.Dir)
	if err != nil {
		in.Log.Printf("settlement: inbox: %v", err)
		return "", false
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".ack") && !in.seen[e.Name()] {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return "", false
	}
	sort.Strings(names)
	in.seen[names[0]] = true
	return names[0], true
}

// Watch polls the inbox for as long as the daemon runs and publishes every
// new acknowledgement.
func (in *Inbox) Watch() {
	for {
		name, ok := in.nextUnseen()
		if !ok {
			time.Sleep(in.Every)
			continue
		}
		f, err := os.Open(filepath.Join(in.Dir, name))
		if err != nil {
			in.Log.Printf("settlement: inbox: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		ack, err := parseAck(f)
		if err != nil {
			in.Log.Printf("settlement: inbox %s: %v", name, err)
			continue
		}
		in.Acks <- ack
	}
}

func (in *Inbox) readAck(name string) (Ack, error) {
	f, err := os.Open(filepath.Join(in.Dir, name))
	if err != nil {
		return Ack{}, err
	}
	defer f.Close()
	return parseAck(f)
}

// WatchContext is Watch for the new daemon: it stops with ctx and closes each
// file as soon as it is parsed.
func (in *Inbox) WatchContext(ctx context.Context) error {
	t := time.NewTicker(in.Every)
	defer t.Stop()
	for {
		for name, ok := in.nextUnseen(); ok; name, ok = in.nextUnseen() {
			ack, err := in.readAck(name)
			if err != nil {
				in.Log.Printf("settlement: inbox %s: %v", name, err)
				continue
			}
			select {
			case in.Acks <- ack:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
