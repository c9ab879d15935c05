package ibmfake

import (
	"net/http"
	"strconv"

	"github.com/backupsdk/backupsdk/pkg/fake"
)

// The three downloads (downloadFilesFromRecovery, downloadIndexedFile,
// downloadAgent) stream a body of the size set with SetDownloadSize
// (default DefaultDownloadSize) whose byte at position p is DownloadByte(p),
// written from one small reusable buffer, so that even a large download
// costs the fake no memory. startOffset and length select a byte range of
// it where the operation takes them.

// DefaultDownloadSize is the size of a download until SetDownloadSize.
const DefaultDownloadSize int64 = 1 << 20

// downloadPeriod is the period of the download pattern, a prime so that it
// lines up with no buffer size.
const downloadPeriod = 251

// downloadChunk is the size of the buffer downloads are written from, a
// multiple of downloadPeriod.
const downloadChunk = downloadPeriod * 128

// downloadPattern is one period of the download pattern: 0, 1, 2, ...
var downloadPattern = func() (p [downloadPeriod]byte) {
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] + 1
	}
	return p
}()

// DownloadByte is the byte at position p of every download's body:
// p modulo 251.
func DownloadByte(p int64) byte {
	r := p % downloadPeriod
	if r < 0 {
		r += downloadPeriod
	}
	return downloadPattern[r]
}

type downloads struct {
	size int64
}

func init() {
	streamers = append(streamers, func(f *Fake) map[string]fake.HandlerFunc {
		d := &downloads{size: DefaultDownloadSize}
		f.state["downloads"] = d
		return map[string]fake.HandlerFunc{
			"downloadFilesFromRecovery": func(w http.ResponseWriter, r *http.Request, in *fake.Input) {
				s, ok := f.state["recoveries"].(*recoveryStore)
				if !ok {
					WriteError(w, r, http.StatusInternalServerError, "Internal", "no recovery store")
					return
				}
				m, ok := s.recovery(w, r, in)
				if !ok {
					return
				}
				if m["status"] != "Succeeded" {
					WriteError(w, r, http.StatusBadRequest, "InvalidRequest",
						"recovery "+in.PathParams["id"]+" has not succeeded yet")
					return
				}
				f.streamDownload(w, r, true)
			},
			"downloadIndexedFile": func(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
				f.streamDownload(w, r, true)
			},
			"downloadAgent": func(w http.ResponseWriter, r *http.Request, _ *fake.Input) {
				f.streamDownload(w, r, false)
			},
		}
	})
}

// SetDownloadSize sets the size of the body of every download (n >= 0).
func (f *Fake) SetDownloadSize(n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := f.state["downloads"].(*downloads); ok {
		d.size = max(n, 0)
	}
}

func (f *Fake) downloadSize() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := f.state["downloads"].(*downloads); ok {
		return d.size
	}
	return DefaultDownloadSize
}

// streamDownload writes the download pattern, the range that the
// startOffset and length query parameters select when ranged.
func (f *Fake) streamDownload(w http.ResponseWriter, r *http.Request, ranged bool) {
	size := f.downloadSize()
	start, end := int64(0), size
	if ranged {
		q := r.URL.Query()
		if v := q.Get("startOffset"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > size {
				WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "startOffset is outside the file")
				return
			}
			start = n
		}
		if v := q.Get("length"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "length must not be negative")
				return
			}
			end = min(start+n, size)
		}
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(end-start, 10))
	w.WriteHeader(http.StatusOK)
	// The buffer is a whole number of periods long, so each chunk continues
	// the pattern where the previous one stopped.
	buf := make([]byte, downloadChunk)
	for i := range buf {
		buf[i] = DownloadByte(start + int64(i))
	}
	for pos := start; pos < end; {
		n := int(min(int64(len(buf)), end-pos))
		if _, err := w.Write(buf[:n]); err != nil {
			return
		}
		pos += int64(n)
	}
}
