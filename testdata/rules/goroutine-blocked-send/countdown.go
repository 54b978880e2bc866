package blockedsend

import "errors"

func fetchTopics(path string, out chan<- []string) {
	out <- []string{path}
}

// Four requests over two channels, counted down to zero: the loop ends once every result is in.
func listAll(a, b, c, d string) ([]string, []string) {
	var left, right []string
	leftCh := make(chan []string)
	rightCh := make(chan []string)
	go fetchTopics(a, leftCh)
	go fetchTopics(b, leftCh)
	go fetchTopics(c, rightCh)
	go fetchTopics(d, rightCh)
	pending := 4
	for {
		select {
		case l := <-leftCh:
			pending--
			left = append(left, l...)
		case r := <-rightCh:
			pending--
			right = append(right, r...)
		}
		if pending == 0 {
			break
		}
	}
	return left, right
}

// Giving up on the first empty result strands the fetchers not yet received from.
func listUntilEmpty(a, b string) []string {
	var all []string
	ch := make(chan []string) // want `listUntilEmpty makes ch unbuffered, and the goroutine started on line 39 sends its result on it \(line 6\)`
	go fetchTopics(a, ch)
	go fetchTopics(b, ch)
	pending := 2
	for pending > 0 {
		got := <-ch
		if len(got) == 0 {
			return nil
		}
		pending--
		all = append(all, got...)
	}
	return all
}

func getTopics(path string, out chan<- []string, errc chan<- error) {
	var err error
	if path == "" {
		err = errors.New("empty path")
	}
	errc <- err
	out <- []string{path}
}

// The fetcher sends its error (nil or not) and then its topics: receiving the error does not
// mean the fetcher is done, and returning on an error strands its topics.
func loadOne(path string) ([]string, error) {
	topics := make(chan []string) // want `loadOne makes topics unbuffered, and the goroutine started on line 67 sends its result on it \(line 59\); the return on line 69 leaves before receiving from topics`
	errc := make(chan error)
	go getTopics(path, topics, errc)
	if err := <-errc; err != nil {
		return nil, err
	}
	return <-topics, nil
}
