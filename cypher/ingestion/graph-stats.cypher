// read: node and relationship counts (count store, O(1)) and hidden items (index). params: none.
// returns: users, items, hiddenItems, interactions, friendships, follows
RETURN COUNT { (:User) } AS users, COUNT { (:Item) } AS items, COUNT { (i:Item WHERE i.hidden = true) } AS hiddenItems,
       COUNT { ()-[:INTERACTED]->() } AS interactions, COUNT { ()-[:FRIEND]->() } AS friendships, COUNT { ()-[:FOLLOWS]->() } AS follows
