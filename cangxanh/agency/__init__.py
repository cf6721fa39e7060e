"""The agency: the pages that introduce it (functions and tasks, structure and its
divisions, leaders, history), its contacts and the personal-data notice.

Pages are articles of the kind "page" (news.kinds): their words per language are
translations going through the newsroom's one workflow; what is the same in every
language (where a page stands in the tree, its layout, a leader's person, a phone
number) is `PageFacts`, changed only through editorial.facts.
"""
