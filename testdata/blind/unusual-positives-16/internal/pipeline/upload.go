package pipeline

import (
	"errors"
	"fmt"
	"sync"

	"example.com/up16/internal/sink"
)

// Uploader stores payload shards through a Sink.
type Uploader struct {
	Sink   sink.Sink
	Prefix string
}

func (u *Uploader) put(name string, data []byte) (err error) {
	w, err := u.Sink.Create(u.Prefix + name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, w.Close()) }()
	_, err = w.Write(data)
	return err
}

// UploadShards stores the leading non-empty shards concurrently and returns
// how many it started.
func (u *Uploader) UploadShards(shards [][]byte) (int, error) {
	var (
		i    int
		wg   sync.WaitGroup
		errs = make([]error, len(shards))
	)
	for i = 0; i < len(shards); i++ {
		if len(shards[i]) == 0 {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = u.put(fmt.Sprintf("shard-%04d", i), shards[i])
		}()
	}
	wg.Wait()
	return i, errors.Join(errs...)
}

// UploadAll stores every shard concurrently.
func (u *Uploader) UploadAll(shards [][]byte) error {
	var wg sync.WaitGroup
	errs := make([]error, len(shards))
	for i, data := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = u.put(fmt.Sprintf("shard-%04d", i), data)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// UploadSerial stores shards one after the other, numbering them from first.
func (u *Uploader) UploadSerial(first int, shards [][]byte) error {
	var n int
	for n = first; n < first+len(shards); n++ {
		store := func() error {
			defer func() {
				if r := recover(); r != nil {
					panic(fmt.Sprintf("shard %d: %v", n, r))
				}
			}()
			return u.put(fmt.Sprintf("shard-%04d", n), shards[n-first])
		}
		if err := store(); err != nil {
			return fmt.Errorf("shard %d: %w", n, err)
		}
	}
	return nil
}
