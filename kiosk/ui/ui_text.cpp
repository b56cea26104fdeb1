#include "kiosk/ui/ui_text.h"

#include <array>
#include <cstdio>

namespace tt::kiosk::ui {

namespace {

using Table = std::array<const char*, static_cast<std::size_t>(UiText::Count)>;

// In the order of the enum; a compile error if one is missing.
constexpr Table kEnglish = {
    "Start",
    "Next",
    "Back",
    "I'd rather not say",
    "Please choose an answer to go on.",
    "(tap the letters)",
    "Space",
    "Delete",
    "Yes",
    "No",
    "Very sad",
    "Sad",
    "OK",
    "Happy",
    "Very happy",
    "Text size: 1 of 3",
    "Text size: 2 of 3",
    "Text size: 3 of 3",
    "High contrast",
    "Normal colours",
    "These questions help your school to help you.",
    "A few adults at your school and the council will read your answers.",
    "If an answer shows you may not be safe, an adult will help you.",
    "You can skip a question with \"I'd rather not say\" when you see it.",
    "Welcome back! You can carry on from where you stopped.",
    "Thank you!",
    "I'd like to talk to someone",
    "Done",
    "At school, you can talk to: ",
    "Are you still there?",
    "If no one taps, this survey will close in %d seconds.",
    "Your answers so far are saved.",
    "I'm still here",
};

constexpr Table kPolish = {
    "Zacznij",
    "Dalej",
    "Wstecz",
    "Wolę nie mówić",
    "Wybierz odpowiedź, żeby przejść dalej.",
    "(dotknij liter)",
    "Spacja",
    "Usuń",
    "Tak",
    "Nie",
    "Bardzo smutno",
    "Smutno",
    "Tak sobie",
    "Wesoło",
    "Bardzo wesoło",
    "Rozmiar tekstu: 1 z 3",
    "Rozmiar tekstu: 2 z 3",
    "Rozmiar tekstu: 3 z 3",
    "Wysoki kontrast",
    "Zwykłe kolory",
    "Te pytania pomagają twojej szkole ci pomóc.",
    "Twoje odpowiedzi przeczyta kilku dorosłych w szkole i w urzędzie.",
    "Jeśli odpowiedź pokaże, że możesz nie być bezpieczny, dorosły ci pomoże.",
    "Możesz pominąć pytanie, wybierając \"Wolę nie mówić\", gdy to widzisz.",
    "Witaj z powrotem! Możesz kontynuować od miejsca, w którym skończyłeś.",
    "Dziękujemy!",
    "Chcę z kimś porozmawiać",
    "Gotowe",
    "W szkole możesz porozmawiać z: ",
    "Czy nadal tu jesteś?",
    "Jeśli nikt nie dotknie ekranu, ankieta zamknie się za %d s.",
    "Twoje dotychczasowe odpowiedzi są zapisane.",
    "Jestem tutaj",
};

const Table* table_for(const std::string& language) {
  std::string primary = language.substr(0, language.find('-'));
  if (primary == "pl") return &kPolish;
  if (primary == "en") return &kEnglish;
  return nullptr;
}

}  // namespace

const char* ui_text(UiText key, const std::string& language) {
  const Table* table = table_for(language);
  return (table != nullptr ? *table : kEnglish)[static_cast<std::size_t>(key)];
}

std::string still_there_closing(int seconds, const std::string& language) {
  char text[200];
  std::snprintf(text, sizeof text, ui_text(UiText::StillThereClosing, language), seconds);
  std::string out = text;
  if (seconds == 1 && table_for(language) != &kPolish) {
    out.replace(out.find("1 seconds"), 9, "1 second");
  }
  return out;
}

bool has_ui_translation(const std::string& language) {
  return table_for(language) != nullptr;
}

}  // namespace tt::kiosk::ui
