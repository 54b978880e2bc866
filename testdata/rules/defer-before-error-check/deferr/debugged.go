package deferr

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func debugf(format string, args ...any) {
	if os.Getenv("DEBUG") != "" {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

// The package's own debug helper looks at err and goes on: the defer still runs on a nil resp.
func fetchDebugBody(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	debugf("GET %s: err=%v", url, err)
	defer resp.Body.Close() // want `resp from \(\*net/http\.Client\)\.Get on line \d+ is used by the deferred resp\.Body\.Close\(\) before err is checked`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// Logged with no test after it: the helper is the function's whole handling of the error.
func fetchDebugLogged(c *http.Client, url string) int {
	resp, err := c.Get(url)
	debugf("GET %s: err=%v", url, err)
	if resp == nil {
		return 0
	}
	defer resp.Body.Close()
	return resp.StatusCode
}
