#include "edit_dict.h"

#include <array>
#include <optional>
#include <string>

#include "memlens/typed_tokens.h"
#include "status_exception.h"

namespace memlens::python {
namespace {

namespace py = pybind11;

enum class Operand { kSource, kContext, kDocument };

struct EditKey {
  const char* key;
  EditKind kind;
  Operand operand;
};

constexpr std::array<EditKey, 9> kEditKeys = {{
    {"delete_instance", EditKind::kDeleteInstance, Operand::kSource},
    {"restore_instance", EditKind::kRestoreInstance, Operand::kSource},
    {"relabel_instance", EditKind::kRelabelInstance, Operand::kSource},
    {"delete_vector", EditKind::kDeleteVector, Operand::kContext},
    {"restore_vector", EditKind::kRestoreVector, Operand::kContext},
    {"relabel_vector", EditKind::kRelabelVector, Operand::kContext},
    {"insert", EditKind::kInsertInstance, Operand::kContext},
    {"remove_document", EditKind::kRemoveDocument, Operand::kDocument},
    {"restore_document", EditKind::kRestoreDocument, Operand::kDocument},
}};

}  // namespace

const char* const kEditKeysDoc =
    R"(An edit is a dict with one of these keys (memlens-cli project edit's options):
    delete_instance, restore_instance, relabel_instance: an instance's source (token index);
    delete_vector, restore_vector, relabel_vector: a stored vector's context, its `width`
        tokens space-separated, farthest first ("_" pads);
    insert: the context of a new instance;
    remove_document, restore_document: a document's index;
and "class": the token a relabel or insert gives.)";

MemoryEdit editFrom(const py::dict& edit, const Vocabulary& vocab) {
  MemoryEdit e;
  std::optional<EditKey> named;
  std::optional<std::string> classToken;
  for (const auto& [key, value] : edit) {
    const auto name = py::cast<std::string>(key);
    if (name == "class") {
      classToken = py::cast<std::string>(value);
      continue;
    }
    const EditKey* k = nullptr;
    for (const EditKey& candidate : kEditKeys)
      if (name == candidate.key) k = &candidate;
    if (!k) throw py::value_error("an edit has no key '" + name + "'");
    if (named)
      throw py::value_error("an edit is one of its keys, got two: " + std::string(named->key) +
                            " and " + name);
    named = *k;
    e.kind = k->kind;
    switch (k->operand) {
      case Operand::kSource:
        e.source = py::cast<uint64_t>(value);
        break;
      case Operand::kDocument:
        e.document = py::cast<uint32_t>(value);
        break;
      case Operand::kContext:
        e.features = valueOrRaise(typedContext(vocab, py::cast<std::string>(value)));
        break;
    }
  }
  if (!named) throw py::value_error("an empty edit: name one, e.g. {\"delete_vector\": \"...\"}");
  const bool needsClass = e.kind == EditKind::kRelabelInstance ||
                          e.kind == EditKind::kRelabelVector || e.kind == EditKind::kInsertInstance;
  if (needsClass != classToken.has_value()) {
    throw py::value_error(needsClass ? std::string(named->key) + " needs \"class\": token"
                                     : "\"class\" goes with a relabel or insert");
  }
  if (classToken) e.classId = valueOrRaise(typedToken(vocab, *classToken));
  return e;
}

}  // namespace memlens::python
