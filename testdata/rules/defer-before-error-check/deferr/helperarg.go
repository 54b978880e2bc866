package deferr

import (
	"log"
	"net/http"
	"os"
)

// closeBody goes through resp with no nil test.
func closeBody(resp *http.Response) {
	resp.Body.Close()
}

// closeBodyIfAny tests resp first.
func closeBodyIfAny(resp *http.Response) {
	if resp == nil {
		return
	}
	resp.Body.Close()
}

func statusOf(u string) (int, error) {
	resp, err := http.Get(u)
	defer closeBody(resp) // want `resp from net/http.Get on line \d+ is used by the deferred closeBody\(resp\) before err is checked: when the request fails resp is nil and closeBody\(resp\) panics with a nil dereference`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func statusDiscarded(u string) int {
	resp, _ := http.Get(u)
	defer closeBody(resp) // want `the error of net/http.Get on line \d+ is discarded: when the request fails resp is nil and the deferred closeBody\(resp\) panics with a nil dereference`
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// The helper handles a nil response.
func statusGuardedHelper(u string) (int, error) {
	resp, err := http.Get(u)
	defer closeBodyIfAny(resp)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// logClose only logs the file it is given: no dereference.
func logClose(f *os.File) {
	log.Printf("closing %v", f)
}

func sizeOf(name string) (int64, error) {
	f, err := os.Open(name)
	defer logClose(f)
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

var held []*os.File

// releaseHeld closes only a file it finds among those it handed out: a nil one is never found.
func releaseHeld(f *os.File) {
	for i, h := range held {
		if h == f {
			f.Close()
			held = append(held[:i], held[i+1:]...)
			return
		}
	}
}

func holdFor(name string) error {
	f, err := os.Open(name)
	defer releaseHeld(f)
	if err != nil {
		return err
	}
	held = append(held, f)
	return nil
}

func openPair(a, b string) (*os.File, *os.File, error) {
	fa, err := os.Open(a)
	if err != nil {
		return nil, nil, err
	}
	fb, err := os.Open(b)
	if err != nil {
		fa.Close()
		return nil, nil, err
	}
	return fa, fb, nil
}

func closePair(a, b *os.File) {
	a.Close()
	b.Close()
}

// Both results go through the helper: one finding for the one defer.
func comparePair(a, b string) error {
	fa, fb, err := openPair(a, b)
	defer closePair(fa, fb) // want `fa from openPair on line \d+ is used by the deferred closePair\(fa, fb\) before err is checked`
	if err != nil {
		return err
	}
	return nil
}
