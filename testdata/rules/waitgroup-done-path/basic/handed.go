package fixture

import (
	"errors"
	"log"
	"sync"
)

type uploader struct {
	mu       sync.Mutex
	failures map[string]error
	uploaded []string
}

func (u *uploader) put(path string) error {
	if path == "" {
		return errors.New("empty path")
	}
	return nil
}

// finish records one upload's outcome and marks the group, but not on failure.
func (u *uploader) finish(wg *sync.WaitGroup, path string, err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err != nil {
		u.failures[path] = err
		log.Printf("upload %s: %v", path, err)
		return
	}
	u.uploaded = append(u.uploaded, path)
	wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the return on line \d+ in uploader\.finish, which the goroutine started on line \d+ calls with &wg on line \d+ to mark the group done, so wg\.Wait\(\) blocks forever`
}

func (u *uploader) uploadAll(paths []string) int {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			err := u.put(p)
			u.finish(&wg, p, err)
		}()
	}
	wg.Wait()
	return len(u.uploaded)
}

// record marks the group on every path.
func (u *uploader) record(wg *sync.WaitGroup, path string, err error) {
	defer wg.Done()
	u.mu.Lock()
	defer u.mu.Unlock()
	if err != nil {
		u.failures[path] = err
		return
	}
	u.uploaded = append(u.uploaded, path)
}

func (u *uploader) uploadAllRecorded(paths []string) int {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			u.record(&wg, p, u.put(p))
		}()
	}
	wg.Wait()
	return len(u.uploaded)
}

// settle marks the group on both branches.
func (u *uploader) settle(wg *sync.WaitGroup, path string, err error) {
	u.mu.Lock()
	if err != nil {
		u.failures[path] = err
		u.mu.Unlock()
		wg.Done()
		return
	}
	u.uploaded = append(u.uploaded, path)
	u.mu.Unlock()
	wg.Done()
}

func (u *uploader) uploadAllSettled(paths []string) int {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			u.settle(&wg, p, u.put(p))
		}()
	}
	wg.Wait()
	return len(u.uploaded)
}
