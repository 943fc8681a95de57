package branding

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
)

// solidPNG encodes a w×h image of one colour: a small file.
func solidPNG(t testing.TB, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noisyPNG encodes a w×h image of random 16-bit pixels: it does not compress,
// so it is about 8 bytes a pixel.
func noisyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.UintN(256))
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func solidJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wantProblem fails unless err is a *directory.ValidationError with a
// problem on field whose message contains text.
func wantProblem(t *testing.T, err error, field, text string) {
	t.Helper()
	var ve *directory.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v (%T), want a *directory.ValidationError", err, err)
	}
	for _, p := range ve.Problems {
		if p.Field == field && strings.Contains(p.Message, text) {
			return
		}
	}
	t.Fatalf("problems %+v lack %s: …%s…", ve.Problems, field, text)
}

func ptr[T any](v T) *T { return &v }
