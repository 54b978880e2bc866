package exits

import (
	"bufio"
	"log"
	"net/http"
	"os"
)

// Only the response body is pending: it is a read stream over a connection the kernel closes,
// so nothing is lost yet (low confidence, as for a file).
func fetchOrDie(url string) {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		log.Fatalf("status %d", resp.StatusCode) // want `log.Fatalf ends the process here in fetchOrDie while the deferred resp\.Body\.Close\(\) \(line \d+\) is pending, so it never runs; here that loses nothing yet \(the kernel closes the descriptor`
	}
}

// A buffered writer's flush pending beside the body: data is lost, full confidence.
func fetchToFile(url string) {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if resp.StatusCode != http.StatusOK {
		log.Fatalf("status %d", resp.StatusCode) // want `log.Fatalf ends the process here in fetchToFile while the deferred w\.Flush\(\) \(line \d+\) is pending, so it never runs; return an error`
	}
}
