package fetch

import (
	"crypto/sha256"
	"io"
	"os"
	"sync"
)

// Digest is the SHA-256 of one mirrored file.
type Digest struct {
	Name string
	Sum  [32]byte
	Err  error
}

func digestFile(name, path string) Digest {
	f, err := os.Open(path)
	if err != nil {
		return Digest{Name: name, Err: err}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Digest{Name: name, Err: err}
	}
	d := Digest{Name: name}
	copy(d.Sum[:], h.Sum(nil))
	return d
}

// Digests hashes every file concurrently.
func Digests(paths map[string]string) <-chan Digest {
	out := make(chan Digest, len(paths))
	defer close(out) // HAZ defer-close-chan-with-sender
	for name, p := range paths {
		go func() { out <- digestFile(name, p) }()
	}
	return out
}

// DigestsJoined closes the channel only after every sender is done.
func DigestsJoined(paths map[string]string) <-chan Digest {
	out := make(chan Digest, len(paths))
	var wg sync.WaitGroup
	for name, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- digestFile(name, p)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// DigestsInline hashes on the caller's goroutine; the deferred close runs
// after the last send because nothing else sends.
func DigestsInline(paths map[string]string) <-chan Digest {
	out := make(chan Digest, len(paths))
	defer close(out)
	for name, p := range paths {
		out <- digestFile(name, p)
	}
	return out
}
