package eager

import (
	"io"
	"net/http"
)

// The token response is closed by the defer; the second response is returned to the caller,
// who owns it. No finding.
func fetchWithToken(c *http.Client, tokenURL, url string) (*http.Response, error) {
	resp, err := c.Get(tokenURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	token, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodGet, url+"?t="+string(token), nil)
	if err != nil {
		return nil, err
	}
	resp, err = c.Do(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// The second response is read and dropped: its body is never closed.
func fetchTwice(c *http.Client, a, b string) ([]byte, error) {
	resp, err := c.Get(a)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // want `defer resp\.Body\.Close\(\) reads resp\.Body at the defer statement on line \d+; resp is reassigned on line \d+`
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return nil, err
	}
	resp, err = c.Get(b)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}
