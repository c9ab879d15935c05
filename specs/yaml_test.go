package specs_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/backupsdk/backupsdk/specs"
)

// The specs are written out in full: no YAML anchors or aliases, which
// some generators and linters of other languages do not follow, and which
// make a reader jump around the file.
func TestSpecsHaveNoAnchorsOrAliases(t *testing.T) {
	for name, data := range specs.All() {
		var root yaml.Node
		require.NoError(t, yaml.Unmarshal(data, &root), name)
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Anchor != "" || n.Kind == yaml.AliasNode {
				t.Errorf("%s: line %d: YAML anchor or alias (&%s / *%s): write the node out or use a $ref", name, n.Line, n.Anchor, n.Value)
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&root)
	}
}
