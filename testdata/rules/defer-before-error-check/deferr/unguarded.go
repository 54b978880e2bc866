package deferr

import (
	"archive/zip"
	"io"
	"log"
	"net/http"
	"os"
)

// The second open's error is never looked at: the check tests the first one's err.
func diffArchives(oldPath, newPath string) (int, error) {
	oldZ, err := zip.OpenReader(oldPath)
	if err != nil {
		return 0, err
	}
	defer oldZ.Close()
	newZ, err2 := zip.OpenReader(newPath)
	if err != nil {
		return 0, err2
	}
	defer newZ.Close() // want `newZ from archive/zip\.OpenReader on line \d+ is used by the deferred newZ\.Close\(\) before err2 is checked`
	return len(newZ.File) - len(oldZ.File), nil
}

// The error is only logged: a failed Get goes on to the defer with a nil resp.
func tailRemote(c *http.Client, url string, w io.Writer) error {
	resp, err := c.Get(url)
	if err != nil {
		log.Printf("tail %s: %v", url, err)
	}
	defer resp.Body.Close() // want `resp from \(\*net/http\.Client\)\.Get on line \d+ is used by the deferred resp\.Body\.Close\(\) before err is checked`
	_, err = io.Copy(w, resp.Body)
	return err
}

// Only the success case is tested: a failed Get falls through to the defer.
func fetchManifest(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err == nil && resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, io.ErrUnexpectedEOF
	}
	defer resp.Body.Close() // want `resp from \(\*net/http\.Client\)\.Get on line \d+ is used by the deferred resp\.Body\.Close\(\) before err is checked`
	return io.ReadAll(resp.Body)
}

// The failure path ends in the else: no finding.
func fetchChecked(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err == nil {
		log.Printf("fetched %s", url)
	} else {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Logged and then returned: no finding.
func fetchLogged(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		log.Printf("fetch %s: %v", url, err)
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func fatalf(format string, args ...any) {
	log.Printf(format, args...)
	os.Exit(1)
}

// The failure path ends in a helper that always exits: no finding.
func openOrDie(path string) int {
	f, err := os.Open(path)
	if err != nil {
		fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	st, _ := f.Stat()
	return int(st.Size())
}
