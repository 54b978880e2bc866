package scrub

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

var errNoRepairer = errors.New("scrub: no repairer configured")

// EnqueueRepair queues a corrupt object for repair; it drops the request
// when the queue is full (the next pass finds the object again).
func (s *Scrubber) EnqueueRepair(ref ObjectRef) bool {
	select {
	case s.repairs <- ref:
		return true
	default:
		s.metrics.Inc("scrub.repair_dropped")
		return false
	}
}

// RepairWorker repairs queued objects for the life of the process.
func (s *Scrubber) RepairWorker() {
	for ref := range s.repairs {
		f, err := os.Open(s.notePath(ref))
		if err != nil {
			s.logger.Printf("scrub: repair %s/%s: %v", ref.Bucket, ref.Key, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		want, err := readNoteField(f, "md5")
		if err != nil {
			s.logger.Printf("scrub: repair %s/%s: %v", ref.Bucket, ref.Key, err)
			continue
		}
		if err := s.repairOne(context.Background(), ref, want); err != nil {
			s.logger.Printf("scrub: repair %s/%s: %v", ref.Bucket, ref.Key, err)
			continue
		}
		os.Remove(s.notePath(ref))
		s.metrics.Inc("scrub.repaired")
	}
}

// RepairBatch repairs refs one after the other; the admin API calls it for
// "repair now" requests.
func (s *Scrubber) RepairBatch(ctx context.Context, refs []ObjectRef) (repaired int, errs []error) {
	attempts := 0
	for _, ref := range refs {
		err := func() error {
			defer func() {
				s.logPanic(ref)
				attempts++
			}()
			f, err := os.Open(s.notePath(ref))
			if err != nil {
				return err
			}
			defer f.Close()
			want, err := readNoteField(f, "md5")
			if err != nil {
				return err
			}
			return s.repairOne(ctx, ref, want)
		}()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s/%s: %w", ref.Bucket, ref.Key, err))
			continue
		}
		repaired++
	}
	s.logger.Printf("scrub: repair batch: %d of %d repaired in %d attempts", repaired, len(refs), attempts)
	return repaired, errs
}

// logPanic reports a panic raised while repairing ref.
func (s *Scrubber) logPanic(ref ObjectRef) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		s.logger.Printf("scrub: repair of %s/%s panicked: %v", ref.Bucket, ref.Key, p)
	}
}

// repairOne streams a good copy from the repairer into the object.
func (s *Scrubber) repairOne(ctx context.Context, ref ObjectRef, wantMD5 string) error {
	if s.repairer == nil {
		return errNoRepairer
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(s.repairer.FetchObject(ctx, ref.Bucket, ref.Key, pw))
	}()
	err := s.store.ReplaceObjectData(ref.Bucket, ref.Key, pr, wantMD5)
	pr.CloseWithError(err)
	return err
}

// readNoteField returns the value of field in a quarantine note.
func readNoteField(r io.Reader, field string) (string, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		for _, tok := range strings.Fields(sc.Text()) {
			if v, ok := strings.CutPrefix(tok, field+"="); ok {
				return v, nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("scrub: note has no %s field", field)
}
