#pragma once

#include <memory>

#include "memlens/classifier.h"

namespace memlens {

std::unique_ptr<Classifier> makeIb1Classifier(const ClassifierOptions& options);
std::unique_ptr<Classifier> makeTribl2Classifier(const ClassifierOptions& options);
std::unique_ptr<Classifier> makeIgTreeClassifier(const ClassifierOptions& options);
std::unique_ptr<Classifier> makeVectorMemoryClassifier(const ClassifierOptions& options);

}  // namespace memlens
